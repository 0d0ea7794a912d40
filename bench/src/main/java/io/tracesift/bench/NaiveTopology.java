package io.tracesift.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.SessionWindows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The textbook way to assemble traces, the baseline tracesift must beat: group by the trace-id key, session
 * windows, and an aggregate that appends to the trace's growing value, so every update reads, extends and rewrites
 * the whole trace (O(trace size) per update).
 *
 * <p>Two variants. {@link Granularity#SPAN} is the one issue 3 names ("rewrites a growing trace value per span",
 * the design's prototype of ~5.5k spans/s): the records are split into spans ({@code flatMapValues}, the key stays
 * the trace id, so no repartition) and each span is one update. {@link Granularity#RECORD} appends a whole
 * record's spans per update, which is kinder to the baseline when a record carries many spans of one trace.
 */
final class NaiveTopology {
    enum Granularity { SPAN, RECORD }

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

    static Topology build(String inputTopic, Granularity granularity) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, ExportTraceServiceRequest> updates = builder.stream(inputTopic,
                Consumed.with(Serdes.String(), TRACE_SERDE));
        if (granularity == Granularity.SPAN) {
            updates = updates.flatMapValues(NaiveTopology::spans);
        }
        updates.groupByKey()
                .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(Duration.ofSeconds(30)))
                .aggregate(ExportTraceServiceRequest::getDefaultInstance,
                        (traceId, spans, trace) -> append(trace, spans),
                        (traceId, left, right) -> append(left, right),
                        Materialized.with(Serdes.String(), TRACE_SERDE));
        return builder.build();
    }

    /** One request per span, each with the span's resource and scope. */
    private static List<ExportTraceServiceRequest> spans(ExportTraceServiceRequest request) {
        List<ExportTraceServiceRequest> spans = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    spans.add(ExportTraceServiceRequest.newBuilder()
                            .addResourceSpans(rs.toBuilder().clearScopeSpans()
                                    .addScopeSpans(ss.toBuilder().clearSpans().addSpans(span)))
                            .build());
                }
            }
        }
        return spans;
    }

    /**
     * The trace with the update's spans appended. A span under the same resource and scope as the trace's last
     * ones joins them, so the stored value does not repeat the resource per span.
     */
    private static ExportTraceServiceRequest append(ExportTraceServiceRequest trace, ExportTraceServiceRequest update) {
        ExportTraceServiceRequest.Builder builder = trace.toBuilder();
        for (ResourceSpans rs : update.getResourceSpansList()) {
            int last = builder.getResourceSpansCount() - 1;
            if (last >= 0 && rs.getScopeSpansCount() == 1 && builder.getResourceSpans(last).getResource().equals(rs.getResource())) {
                ResourceSpans.Builder lastResource = builder.getResourceSpansBuilder(last);
                int lastScope = lastResource.getScopeSpansCount() - 1;
                ScopeSpans scope = rs.getScopeSpans(0);
                if (lastScope >= 0 && lastResource.getScopeSpans(lastScope).getScope().equals(scope.getScope())) {
                    lastResource.getScopeSpansBuilder(lastScope).addAllSpans(scope.getSpansList());
                } else {
                    lastResource.addScopeSpans(scope);
                }
            } else {
                builder.addResourceSpans(rs);
            }
        }
        return builder.build();
    }
}
