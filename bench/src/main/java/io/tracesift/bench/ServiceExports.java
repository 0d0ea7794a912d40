package io.tracesift.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.workload.TraceBatch;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Regroups generated workflow spans as they reach Kafka in production: every service instance (one OTLP resource)
 * runs its own SDK batch span processor, exporting what ended every {@link #EXPORT_EVERY_NANOS} at its own phase,
 * and the Collector's Kafka exporter with {@code partition_traces_by_id} writes one record per trace per export.
 * So a trace arrives as one record per (trace, service instance, export), and the records of concurrent traces
 * interleave in export order, not trace by trace.
 */
final class ServiceExports {
    /** The SDK's default schedule delay (OTEL_BSP_SCHEDULE_DELAY = 5000 ms). */
    static final long EXPORT_EVERY_NANOS = 5_000_000_000L;
    /**
     * The generator emits a batch as its export window (5 s) closes, so spans of later batches ended less than one
     * window before the current batch is due: an export due this much earlier can get no more spans. Were one to
     * come anyway it would only make a record of its own; no span is lost.
     */
    private static final long FINAL_AFTER_NANOS = 2 * EXPORT_EVERY_NANOS;

    private record Key(String traceId, Resource resource, long exportAtNanos) {}

    private record ScopeKey(InstrumentationScope scope, String schemaUrl) {}

    /** One record being filled: the spans one service instance exports for one trace at one time. */
    private static final class Export {
        final Key key;
        final String tenant;
        final String resourceSchemaUrl;
        final long sequence;
        final Map<ScopeKey, ScopeSpans.Builder> scopes = new LinkedHashMap<>();
        int spans;

        Export(Key key, String tenant, String resourceSchemaUrl, long sequence) {
            this.key = key;
            this.tenant = tenant;
            this.resourceSchemaUrl = resourceSchemaUrl;
            this.sequence = sequence;
        }

        ExportTraceServiceRequest request() {
            ResourceSpans.Builder resource = ResourceSpans.newBuilder().setResource(key.resource())
                    .setSchemaUrl(resourceSchemaUrl);
            scopes.values().forEach(resource::addScopeSpans);
            return ExportTraceServiceRequest.newBuilder().addResourceSpans(resource).build();
        }
    }

    private final long startNanos;
    private final Random phases;
    private final Map<Resource, Long> phaseByResource = new HashMap<>();
    private final Map<Key, Export> open = new HashMap<>();
    private final PriorityQueue<Export> due = new PriorityQueue<>(
            Comparator.comparingLong((Export e) -> e.key.exportAtNanos()).thenComparingLong(e -> e.sequence));
    private long sequence;

    /**
     * @param startNanos the generator's timeline start: export times are relative to it, so the same seed gives the
     *                   same records whenever the run starts
     */
    ServiceExports(long seed, long startNanos) {
        this.startNanos = startNanos;
        this.phases = new Random(seed);
    }

    /** Adds a generator batch's spans, then writes every export that can get no more spans. */
    void add(TraceBatch batch, InputTopic.Writer writer) {
        for (ResourceSpans resourceSpans : batch.request().getResourceSpansList()) {
            Resource resource = resourceSpans.getResource();
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                ScopeKey scope = new ScopeKey(scopeSpans.getScope(), scopeSpans.getSchemaUrl());
                for (Span span : scopeSpans.getSpansList()) {
                    Key key = new Key(batch.traceId(), resource, exportAt(resource, span.getEndTimeUnixNano()));
                    Export export = open.computeIfAbsent(key, k -> {
                        Export created = new Export(k, batch.tenant(), resourceSpans.getSchemaUrl(), sequence++);
                        due.add(created);
                        return created;
                    });
                    export.scopes.computeIfAbsent(scope, s -> ScopeSpans.newBuilder().setScope(s.scope())
                            .setSchemaUrl(s.schemaUrl())).addSpans(span);
                    export.spans++;
                }
            }
        }
        writeDue(batch.emitAtNanos() - FINAL_AFTER_NANOS, writer);
    }

    /** Writes every export still open. */
    void finish(InputTopic.Writer writer) {
        writeDue(Long.MAX_VALUE, writer);
    }

    private void writeDue(long upToNanos, InputTopic.Writer writer) {
        while (!due.isEmpty() && due.peek().key.exportAtNanos() <= upToNanos) {
            Export export = due.poll();
            open.remove(export.key);
            writer.write(export.tenant, export.key.traceId(), export.request(), export.spans);
        }
    }

    /** The instance's first export at or after the span ended; each instance exports at its own random phase. */
    private long exportAt(Resource resource, long endNanos) {
        long phase = phaseByResource.computeIfAbsent(resource, r -> phases.nextLong(EXPORT_EVERY_NANOS));
        long first = startNanos + phase;
        return first + Math.floorDiv(endNanos - first + EXPORT_EVERY_NANOS - 1, EXPORT_EVERY_NANOS) * EXPORT_EVERY_NANOS;
    }
}
