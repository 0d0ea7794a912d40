package io.tracesift.workload;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * Spans of one trace that an SDK would export together.
 *
 * @param tenant      the tenant, also in each resource's {@code tenant.id} attribute and sent as the tenant header
 * @param traceId     the trace id as 32 lowercase hex characters (the Kafka record key)
 * @param emitAtNanos when the batch is due on the generator's timeline (epoch nanoseconds)
 * @param spanCount   spans in {@code request}
 * @param lastOfTrace true for the trace's final batch (the one holding the root span)
 */
public record TraceBatch(String tenant, String traceId, long emitAtNanos, int spanCount, boolean lastOfTrace,
                         ExportTraceServiceRequest request) {}
