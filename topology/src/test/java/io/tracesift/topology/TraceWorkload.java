package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.sampling.Decision;
import io.tracesift.sampling.SamplingEngine;
import io.tracesift.sampling.SpanView;

import com.google.protobuf.ByteString;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.tracesift.topology.Otlp.hex;

/**
 * Seeded varied traces for the broker tests, and which of them the default sampler keeps.
 * Most records carry several whole traces of mixed tenants (tenant in the {@code tenant.id} resource attribute,
 * no key); the rest of the traces arrive in 2 to 3 records keyed by trace id with the tenant in the header,
 * minutes apart in the record order and root last, as the Collector's {@code partition_traces_by_id} sends them.
 */
final class TraceWorkload {
    /** A kept trace as the output must show it. */
    record Expected(String tenant, String traceIdHex, Set<String> spanIdsHex, String rule) {}

    final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    final Map<String, Expected> kept = new HashMap<>();
    int traces;
    int spans;

    TraceWorkload(String topic, long seed, int targetSpans, long nowMs) {
        Random random = new Random(seed);
        SamplingEngine engine = SamplingEngine.defaults();
        List<List<ResourceSpans>> wholeBatch = new ArrayList<>();
        // Records ordered by slot = position * 1M + a unique counter, so split traces' parts fall behind.
        TreeMap<Long, ProducerRecord<byte[], byte[]>> pending = new TreeMap<>();
        long counter = 0;
        long sequence = 0;
        while (spans < targetSpans) {
            String tenant = random.nextInt(3) == 0 ? "globex" : "acme";
            byte[] id = new byte[16];
            random.nextBytes(id);
            ByteString traceId = ByteString.copyFrom(id);
            int size = switch (random.nextInt(10)) {
                case 0 -> 1;
                case 1 -> 60 + random.nextInt(140);
                default -> 3 + random.nextInt(30);
            };
            boolean slow = random.nextInt(20) == 0;
            int errorAt = random.nextInt(20) == 0 ? random.nextInt(size) : -1;
            List<Span> traceSpans = new ArrayList<>();
            long start = nowMs - 10_000;
            for (int i = 0; i < size; i++) {
                long end = i == 0 ? start + (slow ? 2_500 : 900) : start + 1 + random.nextInt(800);
                Span span = Otlp.span(traceId, i + 1, i == 0 ? 0 : 1 + random.nextInt(i), start, end, i == errorAt);
                traceSpans.add(span);
            }
            traces++;
            spans += size;
            String traceHex = hex(traceId);
            ExportTraceServiceRequest whole = byService(tenant, traceSpans, true);
            Decision decision = engine.decide(decoded(tenant, traceHex, whole));
            if (decision.kept()) {
                Set<String> spanIds = new TreeSet<>();
                traceSpans.forEach(s -> spanIds.add(hex(s.getSpanId())));
                kept.put(tenant + "/" + traceHex, new Expected(tenant, traceHex, spanIds, decision.reason()));
            }
            if (random.nextInt(10) < 3 && size >= 3) {
                // Split, root last: parts land several records apart on the same partition.
                List<Span> children = traceSpans.subList(1, size);
                int cut = 1 + random.nextInt(children.size() - 1);
                List<List<Span>> parts = List.of(children.subList(0, cut), children.subList(cut, children.size()),
                        List.of(traceSpans.get(0)));
                long due = sequence;
                for (List<Span> part : parts) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("X-Scope-OrgID", tenant.getBytes(StandardCharsets.UTF_8));
                    ExportTraceServiceRequest request = byService(tenant, part, false);
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null,
                            traceHex.getBytes(StandardCharsets.UTF_8), request.toByteArray(), headers);
                    pending.put(due * 1_000_000 + counter++, record);
                    due += 1 + random.nextInt(5);
                }
            } else {
                wholeBatch.add(byService(tenant, traceSpans, true).getResourceSpansList());
                if (wholeBatch.size() == 5) {
                    pending.put(sequence * 1_000_000 + counter++, batchRecord(topic, wholeBatch));
                    wholeBatch.clear();
                }
            }
            sequence++;
        }
        if (!wholeBatch.isEmpty()) {
            pending.put(Long.MAX_VALUE, batchRecord(topic, wholeBatch));
        }
        records.addAll(pending.values());
    }

    /** The trace as the sampler sees it, from the decoded spans (independently of how the assembler reads them). */
    private static AssembledTrace decoded(String tenant, String traceHex, ExportTraceServiceRequest request) {
        List<SpanView> spans = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                ss.getSpansList().forEach(span -> spans.add(new AssembledSpan(rs, ss, span)));
            }
        }
        return new AssembledTrace(tenant, traceHex, spans);
    }

    private static ProducerRecord<byte[], byte[]> batchRecord(String topic, List<List<ResourceSpans>> traces) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        traces.forEach(request::addAllResourceSpans);
        return new ProducerRecord<>(topic, null, null, request.build().toByteArray());
    }

    /** Spreads spans over up to 3 services (resources), tagging the tenant attribute when asked. */
    private static ExportTraceServiceRequest byService(String tenant, List<Span> spans, boolean tenantAttribute) {
        Map<String, List<Span>> services = new LinkedHashMap<>();
        for (Span span : spans) {
            services.computeIfAbsent("svc-" + (span.getSpanId().byteAt(7) % 3), k -> new ArrayList<>()).add(span);
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        services.forEach((service, list) -> request.addResourceSpans(Otlp.resourceSpans(tenantAttribute
                ? Map.of("service.name", service, "tenant.id", tenant) : Map.of("service.name", service), list)));
        return request.build();
    }
}
