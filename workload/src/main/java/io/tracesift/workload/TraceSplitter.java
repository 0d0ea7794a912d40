package io.tracesift.workload;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.serdes.TraceIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Cuts an OTLP export into one protobuf record value per trace (as the Collector's Kafka exporter does with
 * {@code partition_traces_by_id}), keeping each span's resource and scope, and splitting a trace whose record would
 * exceed {@code maxRecordBytes} into several records with the same key. Spans that cannot be routed are rejected and
 * counted by reason instead.
 */
final class TraceSplitter {
    static final String INVALID_TRACE_ID = "invalid-trace-id";
    static final String INVALID_SPAN_ID = "invalid-span-id";
    static final String SERVICE_DISABLED = "service-disabled";
    static final String SPAN_TOO_LARGE = "span-too-large";

    /** A record to write: key = the trace id in lowercase hex. */
    record TraceRecord(String traceId, byte[] value, int spanCount) {}

    record Split(List<TraceRecord> records, int acceptedSpans, Map<String, Integer> rejectedByReason) {
        int rejectedSpans() {
            return rejectedByReason.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** A span with the index of its resource and scope in the request. */
    private record Placed(int resource, int scope, Span span) {}

    private final int maxRecordBytes;
    private final BiPredicate<String, String> serviceEnabled;

    /**
     * @param serviceEnabled decides per (tenant or null, service name or null) whether spans are accepted
     */
    TraceSplitter(int maxRecordBytes, BiPredicate<String, String> serviceEnabled) {
        this.maxRecordBytes = maxRecordBytes;
        this.serviceEnabled = serviceEnabled;
    }

    /** @param headerTenant the tenant header's value, or null: then the resource attribute {@code tenant.id} counts */
    Split split(ExportTraceServiceRequest request, String headerTenant) {
        Map<ByteString, List<Placed>> traces = new LinkedHashMap<>();
        Map<String, Integer> rejected = new TreeMap<>();
        int accepted = 0;
        List<ResourceSpans> resources = request.getResourceSpansList();
        for (int r = 0; r < resources.size(); r++) {
            ResourceSpans rs = resources.get(r);
            String service = attribute(rs.getResource().getAttributesList(), "service.name");
            String tenant = headerTenant != null ? headerTenant
                    : attribute(rs.getResource().getAttributesList(), "tenant.id");
            boolean enabled = serviceEnabled.test(tenant, service);
            for (int s = 0; s < rs.getScopeSpansCount(); s++) {
                for (Span span : rs.getScopeSpans(s).getSpansList()) {
                    String reason = !TraceIds.isValidTraceId(span.getTraceId()) ? INVALID_TRACE_ID
                            : !TraceIds.isValidSpanId(span.getSpanId()) ? INVALID_SPAN_ID
                            : !enabled ? SERVICE_DISABLED
                            : null;
                    if (reason != null) {
                        rejected.merge(reason, 1, Integer::sum);
                    } else {
                        traces.computeIfAbsent(span.getTraceId(), k -> new ArrayList<>()).add(new Placed(r, s, span));
                        accepted++;
                    }
                }
            }
        }
        List<TraceRecord> records = new ArrayList<>();
        for (Map.Entry<ByteString, List<Placed>> trace : traces.entrySet()) {
            String key = TraceIds.toHex(trace.getKey());
            accepted -= chunk(request, key, trace.getValue(), records, rejected);
        }
        return new Split(List.copyOf(records), accepted, Map.copyOf(rejected));
    }

    /** Appends the trace's records; returns how many of its spans were rejected as too large. */
    private int chunk(ExportTraceServiceRequest request, String key, List<Placed> spans, List<TraceRecord> out,
                      Map<String, Integer> rejected) {
        ExportTraceServiceRequest whole = build(request, spans);
        if (whole.getSerializedSize() <= maxRecordBytes) {
            out.add(new TraceRecord(key, whole.toByteArray(), spans.size()));
            return 0;
        }
        int tooLarge = 0;
        List<Placed> current = new ArrayList<>();
        long currentBytes = 0;
        for (Placed placed : spans) {
            long bytes = overhead(request, placed) + placed.span().getSerializedSize();
            if (bytes > maxRecordBytes) {
                rejected.merge(SPAN_TOO_LARGE, 1, Integer::sum);
                tooLarge++;
                continue;
            }
            if (currentBytes + bytes > maxRecordBytes && !current.isEmpty()) {
                out.add(new TraceRecord(key, build(request, current).toByteArray(), current.size()));
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(placed);
            currentBytes += bytes;
        }
        if (!current.isEmpty()) {
            out.add(new TraceRecord(key, build(request, current).toByteArray(), current.size()));
        }
        return tooLarge;
    }

    /** An upper bound of what a span's resource and scope add to a record when the span travels alone. */
    private static long overhead(ExportTraceServiceRequest request, Placed placed) {
        ResourceSpans rs = request.getResourceSpans(placed.resource());
        ScopeSpans ss = rs.getScopeSpans(placed.scope());
        return rs.getResource().getSerializedSize() + rs.getSchemaUrlBytes().size() + ss.getScope().getSerializedSize()
                + ss.getSchemaUrlBytes().size() + 32;
    }

    private static ExportTraceServiceRequest build(ExportTraceServiceRequest request, List<Placed> spans) {
        ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
        Map<Integer, Map<Integer, List<Span>>> grouped = new TreeMap<>();
        for (Placed placed : spans) {
            grouped.computeIfAbsent(placed.resource(), k -> new TreeMap<>())
                    .computeIfAbsent(placed.scope(), k -> new ArrayList<>()).add(placed.span());
        }
        for (Map.Entry<Integer, Map<Integer, List<Span>>> resource : grouped.entrySet()) {
            ResourceSpans source = request.getResourceSpans(resource.getKey());
            ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(source.getResource())
                    .setSchemaUrl(source.getSchemaUrl());
            for (Map.Entry<Integer, List<Span>> scope : resource.getValue().entrySet()) {
                ScopeSpans sourceScope = source.getScopeSpans(scope.getKey());
                rs.addScopeSpans(ScopeSpans.newBuilder().setScope(sourceScope.getScope())
                        .setSchemaUrl(sourceScope.getSchemaUrl()).addAllSpans(scope.getValue()));
            }
            out.addResourceSpans(rs);
        }
        return out.build();
    }

    private static String attribute(List<KeyValue> attributes, String key) {
        for (KeyValue kv : attributes) {
            if (kv.getKey().equals(key) && kv.getValue().hasStringValue()) {
                return kv.getValue().getStringValue();
            }
        }
        return null;
    }
}
