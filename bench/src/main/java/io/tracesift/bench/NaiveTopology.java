package io.tracesift.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.SessionWindows;

import java.time.Duration;

/**
 * The textbook way to assemble traces, the baseline tracesift must beat: group by the trace-id key, session
 * windows, and an aggregate that appends each record's spans to the trace's growing value. Every record reads,
 * extends and rewrites its whole trace (O(trace size) per span).
 */
final class NaiveTopology {
    private static final Serde<ExportTraceServiceRequest> TRACE_SERDE = Serdes.serdeFrom(
            (topic, trace) -> trace.toByteArray(),
            (topic, bytes) -> {
                try {
                    return ExportTraceServiceRequest.parseFrom(bytes);
                } catch (InvalidProtocolBufferException e) {
                    throw new SerializationException(e);
                }
            });

    private NaiveTopology() {}

    static Topology build(String inputTopic) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputTopic, Consumed.with(Serdes.String(), TRACE_SERDE))
                .groupByKey()
                .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(Duration.ofSeconds(30)))
                .aggregate(ExportTraceServiceRequest::getDefaultInstance,
                        (traceId, spans, trace) -> trace.toBuilder().addAllResourceSpans(spans.getResourceSpansList()).build(),
                        (traceId, left, right) -> left.toBuilder().addAllResourceSpans(right.getResourceSpansList()).build(),
                        Materialized.with(Serdes.String(), TRACE_SERDE));
        return builder.build();
    }
}
