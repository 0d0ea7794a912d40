package io.tracesift.app.metrics;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.tracesift.aggregation.ExemplarSource;
import io.tracesift.aggregation.HeapSeriesStore;
import io.tracesift.aggregation.MetricsAggregator;
import io.tracesift.aggregation.MetricsConfig;
import io.tracesift.aggregation.SeriesAccumulator;
import io.tracesift.aggregation.SeriesCollector;
import io.tracesift.aggregation.ServiceGraph;
import io.tracesift.aggregation.SpanSample;
import io.tracesift.aggregation.SpanSeries;
import io.tracesift.topology.LocalSeriesSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A known, deterministic input for the metrics integration tests: agent workflows of 20 spans each (gateway →
 * orders → database, a Kafka producer, an agent with a model call and a tool call, sometimes an unpaired client
 * call), a share of them failing,
 * in two tenants; and the true metrics of that input, computed straight from it with aggregation's own rules.
 */
final class MetricsWorkload {
    static final int SPANS_PER_TRACE = 20;
    static final List<String> TENANTS = List.of("acme", "globex");
    private static final HexFormat HEX = HexFormat.of();

    /** One input record: its tenant (header) and an ExportTraceServiceRequest holding one whole trace. */
    record Trace(String tenant, String traceIdHex, ExportTraceServiceRequest request) {}

    private MetricsWorkload() {
    }

    /** {@code count} traces ending shortly before {@code nowMs}. */
    static List<Trace> traces(int count, long nowMs) {
        List<Trace> traces = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            traces.add(trace(i, nowMs - 60_000 + (i % 50_000)));
        }
        return traces;
    }

    private static Trace trace(int i, long startMs) {
        byte[] id = ByteBuffer.allocate(16).putLong(0x5eed_0000_0000_0000L + i).putLong(mix(i)).array();
        ByteString traceId = ByteString.copyFrom(id);
        boolean failing = i % 17 == 0;
        Map<String, List<Span>> byService = new LinkedHashMap<>();
        long t = startMs * 1_000_000L;
        long ms = 1_000_000L;
        int route = i % 4;
        Span root = span(traceId, 1, 0, "GET /api/" + route, Span.SpanKind.SPAN_KIND_SERVER, t, t + (30 + i % 400) * ms, i % 23 == 0,
                attr("workflow.type", i % 3 == 0 ? "refund" : "checkout"));
        add(byService, "gateway", root);
        add(byService, "gateway", span(traceId, 2, 1, "POST /orders", Span.SpanKind.SPAN_KIND_CLIENT, t + ms, t + (20 + i % 300) * ms, false));
        add(byService, "orders", span(traceId, 3, 2, "create-order", Span.SpanKind.SPAN_KIND_SERVER, t + 2 * ms, t + (19 + i % 290) * ms, failing));
        add(byService, "orders", span(traceId, 4, 3, "SELECT orders", Span.SpanKind.SPAN_KIND_CLIENT, t + 3 * ms, t + 5 * ms, false,
                attr("db.system", "postgresql"), attr("db.namespace", "shop")));
        add(byService, "orders", span(traceId, 5, 3, "publish order", Span.SpanKind.SPAN_KIND_PRODUCER, t + 5 * ms, t + 6 * ms, false,
                attr("messaging.system", "kafka"), attr("messaging.destination.name", "orders")));
        add(byService, "orders", span(traceId, 6, 3, "invoke_agent planner", Span.SpanKind.SPAN_KIND_INTERNAL, t + 6 * ms, t + (15 + i % 200) * ms,
                failing && i % 2 == 0, attr("gen_ai.operation.name", "invoke_agent"), attr("gen_ai.agent.name", i % 5 == 0 ? "refunder" : "planner")));
        add(byService, "orders", span(traceId, 7, 6, "chat", Span.SpanKind.SPAN_KIND_CLIENT, t + 7 * ms, t + (12 + i % 150) * ms, false,
                attr("gen_ai.operation.name", "chat"), attr("gen_ai.request.model", i % 2 == 0 ? "gpt-4o" : "claude"),
                intAttr("gen_ai.usage.input_tokens", 100 + i % 900), intAttr("gen_ai.usage.output_tokens", 10 + i % 90),
                attr("peer.service", "llm-api")));
        add(byService, "orders", span(traceId, 8, 6, "execute_tool search", Span.SpanKind.SPAN_KIND_INTERNAL, t + 8 * ms, t + 9 * ms, false,
                attr("gen_ai.operation.name", "execute_tool"), attr("gen_ai.tool.name", "search")));
        // The rest: internal work of the order service, a dozen spans with a few names; every tenth trace ends
        // with a call to a service that is not traced and not named (an unpaired client span).
        for (int s = 9; s < SPANS_PER_TRACE; s++) {
            add(byService, "orders", span(traceId, s, 3, "step-" + (s % 4), Span.SpanKind.SPAN_KIND_INTERNAL,
                    t + s * ms, t + (s + 1 + (i + s) % 7) * ms, false));
        }
        boolean unpaired = i % 10 == 0;
        add(byService, "orders", span(traceId, SPANS_PER_TRACE, 3, unpaired ? "call legacy" : "step-0",
                unpaired ? Span.SpanKind.SPAN_KIND_CLIENT : Span.SpanKind.SPAN_KIND_INTERNAL, t + 30 * ms, t + 31 * ms, false));
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        byService.forEach((service, spans) -> {
            ResourceSpans.Builder rs = request.addResourceSpansBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attr("service.name", service)));
            rs.addScopeSpansBuilder().addAllSpans(spans);
        });
        return new Trace(TENANTS.get(i % TENANTS.size()), HEX.formatHex(id), request.build());
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        return x ^ (x >>> 29);
    }

    private static void add(Map<String, List<Span>> byService, String service, Span span) {
        byService.computeIfAbsent(service, s -> new ArrayList<>()).add(span);
    }

    private static Span span(ByteString traceId, long id, long parent, String name, Span.SpanKind kind, long start, long end,
                             boolean error, KeyValue... attributes) {
        Span.Builder b = Span.newBuilder().setTraceId(traceId).setSpanId(spanId(id)).setName(name).setKind(kind)
                .setStartTimeUnixNano(start).setEndTimeUnixNano(end);
        if (parent != 0) {
            b.setParentSpanId(spanId(parent));
        }
        if (error) {
            b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        }
        for (KeyValue kv : attributes) {
            b.addAttributes(kv);
        }
        return b.build();
    }

    private static ByteString spanId(long n) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n).array());
    }

    private static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue intAttr(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    /** The true series of the whole input, as {@link #parse} gives them (no exemplars). */
    static Map<String, Double> truth(List<Trace> traces) {
        HeapSeriesStore store = new HeapSeriesStore();
        MetricsAggregator aggregator = new MetricsAggregator(MetricsConfig.defaults());
        SeriesAccumulator accumulator = aggregator.accumulator(store);
        SpanSeries spanSeries = aggregator.spanSeries(accumulator);
        ServiceGraph graph = aggregator.serviceGraph(accumulator);
        for (Trace trace : traces) {
            List<SpanSample> samples = samples(trace);
            samples.forEach(s -> spanSeries.record(s, ExemplarSource.NONE, 0));
            graph.record(samples, 0);
            accumulator.flush();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, SeriesCollector.allTenants(store).collect());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(out.toString(StandardCharsets.UTF_8), true);
    }

    /** An 8-byte span id as the big-endian number SpanSample holds. */
    private static long id(ByteString spanId) {
        return spanId.asReadOnlyByteBuffer().getLong();
    }

    private static List<SpanSample> samples(Trace trace) {
        List<SpanSample> samples = new ArrayList<>();
        for (ResourceSpans rs : trace.request().getResourceSpansList()) {
            Map<String, Object> resource = plain(rs.getResource().getAttributesList());
            for (Span span : rs.getScopeSpans(0).getSpansList()) {
                Map<String, Object> attributes = new HashMap<>(resource);
                attributes.putAll(plain(span.getAttributesList()));
                samples.add(new SpanSample(trace.tenant(), (String) resource.get("service.name"), span.getName(),
                        span.getKindValue(), span.getStatus().getCodeValue(), span.getStartTimeUnixNano(),
                        span.getEndTimeUnixNano(), span.getSerializedSize(), trace.traceIdHex(),
                        id(span.getSpanId()), span.getParentSpanId().isEmpty() ? 0 : id(span.getParentSpanId()),
                        SpanSample.Attributes.of(attributes), false));
            }
        }
        return samples;
    }

    private static Map<String, Object> plain(List<KeyValue> attributes) {
        Map<String, Object> out = new HashMap<>();
        for (KeyValue kv : attributes) {
            out.put(kv.getKey(), kv.getValue().hasIntValue() ? (Object) kv.getValue().getIntValue() : kv.getValue().getStringValue());
        }
        return out;
    }

    /**
     * The samples of a Prometheus text exposition, keyed "name{label="value",...}" with labels sorted and the
     * {@code partition} label left out, summed over partitions.
     *
     * @param storeFamiliesOnly keep only the families aggregation produces (the ones held in state stores)
     */
    static Map<String, Double> parse(String text, boolean storeFamiliesOnly) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            if (storeFamiliesOnly && !isStoreFamily(name)) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            if (brace >= 0 && brace < space) {
                String body = line.substring(brace + 1, line.lastIndexOf('}'));
                int i = 0;
                while (i < body.length()) {
                    int eq = body.indexOf('=', i);
                    String key = body.substring(i, eq);
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    while (body.charAt(j) != '"') {
                        if (body.charAt(j) == '\\') {
                            j++;
                        }
                        value.append(body.charAt(j++));
                    }
                    labels.put(key, value.toString());
                    i = j + 2;
                }
            }
            labels.remove(LocalSeriesSource.PARTITION_LABEL);
            out.merge(name + labels, Double.parseDouble(line.substring(space + 1)), Double::sum);
        }
        return out;
    }

    private static boolean isStoreFamily(String name) {
        return io.tracesift.aggregation.MetricFamilies.ALL.stream().anyMatch(f -> name.equals(f.name())
                || name.equals(f.name() + "_bucket") || name.equals(f.name() + "_count") || name.equals(f.name() + "_sum"));
    }
}
