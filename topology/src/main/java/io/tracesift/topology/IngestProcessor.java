package io.tracesift.topology;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracesift.serdes.OtlpDecodeException;
import io.tracesift.serdes.RequestScanner;
import io.tracesift.serdes.ScannedSpan;
import io.tracesift.serdes.SpanFacts;
import io.tracesift.serdes.SpanOrigin;
import io.tracesift.tenantrouting.Redactor;
import io.tracesift.tenantrouting.TenantId;
import io.tracesift.tenantrouting.TenantResolution;

import com.google.protobuf.ByteString;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one input record, resolves the tenant of each ResourceSpans, drops it when its service's rollout flag is
 * off, admits the tenant ({@link TenantDirectory#admit}), redacts it, validates every span and
 * splits the rest into one {@link SpanGroup} per (tenant, trace). Rejected parts go to the DLQ grouped by reason,
 * with the reason and source coordinates in headers; nothing here throws on bad input.
 *
 * <p>Most records need no protobuf objects: they are read from their bytes ({@link #scanned}). Only a record that
 * needs a rejection, a redaction or a dropped service is decoded ({@link #decoded}); both paths give the same
 * groups, counts and metrics.
 */
final class IngestProcessor implements Processor<byte[], byte[], byte[], IngestResult> {
    private static final String EXCEPTION_EVENT = "exception";
    private static final String SERVICE_NAME = "service.name";
    /** Reason of spans dropped because their service's rollout flag is off (not bad input: no DLQ record). */
    static final String FLAG_DISABLED = "flag-disabled";
    /** Room for the decision and truncation attributes stamped on each emitted span. */
    private static final int STAMP_ALLOWANCE = 256;

    private final TopologySettings settings;
    private final PipelineCounters counters;
    private final SpanMetricsRecorder metrics;
    private final TenantDirectory tenants;
    /** Null when the repartition is skipped: every group is assembled in this task. */
    private final AssemblyRoute route;
    private ProcessorContext<byte[], IngestResult> context;
    private int taskPartition;

    IngestProcessor(TopologySettings settings, PipelineCounters counters, TenantDirectory tenants, AssemblyRoute route) {
        this.settings = settings;
        this.counters = counters;
        this.metrics = SpanMetricsRecorder.of(settings, tenants);
        this.tenants = tenants;
        this.route = route;
    }

    @Override
    public void init(ProcessorContext<byte[], IngestResult> context) {
        this.context = context;
        this.taskPartition = context.taskId().partition();
        metrics.init(context);
    }

    /** One span with the resource and scope it came under. */
    private record Member(ResourceSpans rs, ScopeSpans ss, Span span) {}

    /** The spans of one (tenant, trace); grouped into a {@link SpanBatch} only when the record is not passed through. */
    private static final class Group {
        final List<Member> spans = new ArrayList<>();
        boolean hasRoot;
        boolean hasError;

        SpanBatch batch() {
            SpanBatch batch = new SpanBatch();
            spans.forEach(m -> batch.add(m.rs(), m.ss(), m.span()));
            return batch;
        }
    }

    private record Rejection(String reason, String detail, SpanBatch batch) {}

    @Override
    public void process(Record<byte[], byte[]> record) {
        long now = context.currentSystemTimeMs();
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(settings.inputTopic());
        Header tenantHeader = record.headers().lastHeader(settings.tenantResolver().headerName());
        String headerTenant = tenantHeader == null || tenantHeader.value() == null
                ? null : new String(tenantHeader.value(), StandardCharsets.UTF_8);
        boolean scanned = decodedAsProtobuf(record.value()) && scanned(record, topic, headerTenant, now);
        if (!scanned) {
            decoded(record, topic, headerTenant, now);
        }
        counters.ingested(scanned);
    }

    /** A span read from the record's bytes, with the tenant its resource resolved to. */
    private record ScannedMember(TenantId tenant, StoredSpan span) {}

    /**
     * The common case, without building the request's objects: a well-formed protobuf record small enough that no
     * span can be too large, whose spans are all valid, whose resources all resolve to admitted tenants with their
     * services' flags on, and in which redaction could change nothing ({@link Redactor#mayRedact}). Spans are read
     * from the bytes ({@link RequestScanner}); a record holding one trace is stored as it came, others are cut into
     * per-trace groups by copying span bytes. Returns false, having done nothing, when the record needs the
     * decoding path: a rejection, a redaction, a dropped service, or an encoding protobuf must merge.
     */
    private boolean scanned(Record<byte[], byte[]> record, String topic, String headerTenant, long now) {
        byte[] value = record.value();
        if (!tooSmallForALargeSpan(value)) {
            return false;
        }
        List<ScannedSpan> spans;
        try {
            spans = RequestScanner.scan(value, 0, value.length);
        } catch (OtlpDecodeException e) {
            return false; // the decoding path rejects it with protobuf's own words
        }
        if (spans == null || spans.isEmpty() || settings.redactor().mayRedactRequest(value)) {
            return false;
        }
        List<ScannedMember> members = new ArrayList<>(spans.size());
        SpanOrigin lastResource = null;
        TenantId tenant = null;
        String service = null;
        for (ScannedSpan span : spans) {
            if (span.resource() != lastResource) {
                lastResource = span.resource();
                boolean[] unusual = {false};
                TenantResolution resolution = settings.tenantResolver().resolve(topic, headerTenant, key -> {
                    String single = null;
                    for (Object v : span.resourceAttributes(key)) {
                        // Not a single string (nor one string sent twice): the decoding path words the rejection.
                        unusual[0] |= !(v instanceof String s) || single != null && !single.equals(s);
                        single = v instanceof String s ? s : single;
                    }
                    return unusual[0] ? null : single;
                });
                if (unusual[0] || !(resolution instanceof TenantResolution.Resolved resolved)
                        || !(span.resourceAttribute(SERVICE_NAME) instanceof String name)
                        || !tenants.enabled(resolved.tenant(), name)
                        || !(tenants.admit(resolved.tenant()) instanceof TenantResolution.Resolved)) {
                    return false;
                }
                tenant = resolved.tenant();
                service = name;
            }
            SpanFacts f = span.facts();
            if (invalidReason(f.traceId(), f.spanId(), f.parentSpanId().size(), f.startTimeUnixNano(), f.endTimeUnixNano(),
                    now) != null) {
                return false;
            }
            members.add(new ScannedMember(tenant, new StoredSpan(span, service)));
        }

        Map<Bytes, List<StoredSpan>> groups = new LinkedHashMap<>();
        List<StoredSpan> lastGroup = null;
        TenantId lastTenant = null;
        ByteString lastTraceId = null;
        for (ScannedMember m : members) {
            ByteString traceId = m.span().facts().traceId();
            // Consecutive spans mostly share their trace: the group key is built once per run of them.
            if (m.tenant() != lastTenant || !traceId.equals(lastTraceId)) {
                lastTenant = m.tenant();
                lastTraceId = traceId;
                lastGroup = groups.computeIfAbsent(Bytes.wrap(TraceKey.encode(m.tenant(), traceId.toByteArray())),
                        k -> new ArrayList<>());
            }
            lastGroup.add(m.span());
            metrics.span(m.tenant(), m.span());
        }
        counters.spansIn(members.size());
        for (Map.Entry<Bytes, List<StoredSpan>> e : groups.entrySet()) {
            List<StoredSpan> group = e.getValue();
            boolean hasRoot = false;
            boolean hasError = false;
            for (StoredSpan span : group) {
                hasRoot |= isRootParent(span.facts().parentSpanId());
                hasError |= span.facts().statusCode() == Status.StatusCode.STATUS_CODE_ERROR_VALUE
                        || span.facts().hasExceptionEvent();
            }
            byte[] payload = value;
            if (groups.size() > 1) {
                OutputBatch batch = new OutputBatch(new byte[0]);
                group.forEach(span -> batch.add(span.scanned()));
                payload = batch.encode();
            }
            counters.spansAccepted(group.size());
            forward(e.getKey().get(), SpanGroup.of(payload, group.size(), hasRoot, hasError), record.timestamp());
        }
        return true;
    }

    /**
     * No span of an unredacted protobuf record this small can be too large for output.max-record-bytes: its spans'
     * sizes need not be computed.
     */
    private boolean tooSmallForALargeSpan(byte[] value) {
        return OutputBatch.costBound(value.length) + STAMP_ALLOWANCE <= settings.maxRecordBytes();
    }

    /** Decodes the whole request: every case, including each kind of rejection, redaction and dropped service. */
    private void decoded(Record<byte[], byte[]> record, String topic, String headerTenant, long now) {
        ExportTraceServiceRequest request;
        try {
            request = settings.encoding().decode(record.value());
        } catch (OtlpDecodeException e) {
            deadLetter(record, e.reason(), e.getMessage(), record.value());
            return;
        }

        boolean fits = decodedAsProtobuf(record.value()) && tooSmallForALargeSpan(record.value());
        Map<Bytes, Group> groups = new LinkedHashMap<>();
        Map<String, Rejection> rejections = new LinkedHashMap<>();
        boolean unchanged = true;
        int spansIn = 0;
        for (ResourceSpans original : request.getResourceSpansList()) {
            int spans = 0;
            for (ScopeSpans ss : original.getScopeSpansList()) {
                spans += ss.getSpansCount();
            }
            spansIn += spans;
            TenantResolution resolution = settings.tenantResolver()
                    .resolve(topic, headerTenant, key -> tenantAttribute(original, key));
            if (resolution instanceof TenantResolution.Resolved resolved) {
                if (!tenants.enabled(resolved.tenant(), stringAttribute(original, SERVICE_NAME))) {
                    counters.spansDropped(FLAG_DISABLED, spans);
                    unchanged = false; // the record's bytes still hold the dropped spans: never pass them through
                    continue;
                }
                resolution = tenants.admit(resolved.tenant());
            }
            // Rejected spans are redacted too: the DLQ keeps secrets only in records it cannot decode.
            Redactor.Result redacted = settings.redactor().redact(original);
            redacted.counts().forEach(counters::redacted);
            ResourceSpans rs = redacted.resourceSpans();
            if (resolution instanceof TenantResolution.Rejected rejected) {
                Rejection r = rejections.computeIfAbsent(rejected.reason(),
                        reason -> new Rejection(reason, rejected.detail(), new SpanBatch()));
                rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> r.batch().add(rs, ss, s)));
                continue;
            }
            TenantId tenant = ((TenantResolution.Resolved) resolution).tenant();
            unchanged &= rs == original;
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    String reason = invalidReason(rs, ss, span, now, !fits || rs != original);
                    if (reason != null) {
                        Rejection r = rejections.computeIfAbsent(reason,
                                k -> new Rejection(k, describe(k, span, now), new SpanBatch()));
                        r.batch().add(rs, ss, span);
                        continue;
                    }
                    Group g = groups.computeIfAbsent(
                            Bytes.wrap(TraceKey.encode(tenant, span.getTraceId().toByteArray())), k -> new Group());
                    g.spans.add(new Member(rs, ss, span));
                    g.hasRoot |= isRoot(span);
                    g.hasError |= hasError(span);
                    metrics.span(tenant, rs, ss, span);
                }
            }
        }
        counters.spansIn(spansIn);
        for (Rejection r : rejections.values()) {
            deadLetter(record, r.reason(), r.detail(), r.batch().toRequest().toByteArray());
        }
        // A protobuf record holding exactly one valid trace (the Collector's partition_traces_by_id) is
        // forwarded as it came, saving a re-encode.
        boolean passThrough = groups.size() == 1 && rejections.isEmpty() && unchanged && decodedAsProtobuf(record.value());
        for (Map.Entry<Bytes, Group> e : groups.entrySet()) {
            Group g = e.getValue();
            counters.spansAccepted(g.spans.size());
            SpanGroup group = passThrough
                    ? SpanGroup.of(record.value(), g.spans.size(), g.hasRoot, g.hasError)
                    : SpanGroup.of(g.batch(), g.hasRoot, g.hasError);
            forward(e.getKey().get(), group, record.timestamp());
        }
    }

    private void forward(byte[] traceKey, SpanGroup group, long timestamp) {
        boolean local = route == null || route.local(traceKey, taskPartition);
        if (route != null) {
            counters.groupRouted(local);
        }
        context.forward(new Record<>(traceKey, IngestResult.group(group, local), timestamp, new RecordHeaders()));
    }

    /**
     * Whether the configured encoding surely read this value as protobuf: AUTO reads protobuf when the first byte
     * that is not JSON whitespace is not '{' (otherwise it tries JSON first; such values are re-encoded).
     */
    private boolean decodedAsProtobuf(byte[] value) {
        return switch (settings.encoding()) {
            case OTLP_PROTO -> true;
            case OTLP_JSON -> false;
            case AUTO -> {
                int i = 0;
                while (i < value.length && (value[i] == ' ' || value[i] == '\t' || value[i] == '\n' || value[i] == '\r')) {
                    i++;
                }
                yield i < value.length && value[i] != '{';
            }
        };
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, String detail, byte[] value) {
        counters.deadLettered(reason);
        context.forward(new Record<>(record.key(), IngestResult.deadLetter(value), record.timestamp(),
                DeadLetter.headers(record.headers(), reason, detail, context.recordMetadata())));
    }

    private String invalidReason(ResourceSpans rs, ScopeSpans ss, Span span, long nowMs, boolean checkSize) {
        String reason = invalidReason(span.getTraceId(), span.getSpanId(), span.getParentSpanId().size(),
                span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), nowMs);
        // Such a span could never be emitted, even alone in a chunk, without exceeding output.max-record-bytes.
        if (reason == null && checkSize && OutputBatch.costOf(rs, ss, span) + STAMP_ALLOWANCE > settings.maxRecordBytes()) {
            return DeadLetter.SPAN_TOO_LARGE;
        }
        return reason;
    }

    /** Why a span with these ids and times cannot be accepted, or null; the same for decoded and scanned spans. */
    private String invalidReason(ByteString traceId, ByteString spanId, int parentLength, long start, long end, long nowMs) {
        if (!validId(traceId, TraceKey.TRACE_ID_BYTES)) {
            return DeadLetter.INVALID_TRACE_ID;
        }
        if (!validId(spanId, 8)) {
            return DeadLetter.INVALID_SPAN_ID;
        }
        if (parentLength != 0 && parentLength != 8) {
            return DeadLetter.INVALID_PARENT_SPAN_ID;
        }
        long skewNanos = settings.maxTimestampSkew().toNanos();
        long nowNanos = nowMs * 1_000_000L;
        // Negative means the unsigned fixed64 is beyond the year 2262: absurd as well.
        if (start <= 0 || end < start || Math.abs(nowNanos - start) > skewNanos || Math.abs(nowNanos - end) > skewNanos) {
            return DeadLetter.INVALID_TIMESTAMP;
        }
        return null;
    }

    private String describe(String reason, Span span, long nowMs) {
        return switch (reason) {
            case DeadLetter.INVALID_TRACE_ID -> "trace id has " + span.getTraceId().size()
                    + " bytes (16 required, not all zero)";
            case DeadLetter.INVALID_SPAN_ID -> "span id has " + span.getSpanId().size()
                    + " bytes (8 required, not all zero)";
            case DeadLetter.INVALID_PARENT_SPAN_ID -> "parent span id has " + span.getParentSpanId().size()
                    + " bytes (0 or 8 allowed)";
            case DeadLetter.SPAN_TOO_LARGE -> "span of " + span.getSerializedSize() + " bytes with its resource and scope "
                    + "does not fit output.max-record-bytes " + settings.maxRecordBytes();
            default -> "start " + span.getStartTimeUnixNano() + "ns, end " + span.getEndTimeUnixNano()
                    + "ns; arrival " + nowMs + "ms; allowed skew " + settings.maxTimestampSkew();
        };
    }

    private static boolean validId(ByteString id, int length) {
        if (id.size() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (id.byteAt(i) != 0) {
                return true;
            }
        }
        return false;
    }

    /** No parent, or an all-zero one (some SDKs send 8 zero bytes instead of none). */
    static boolean isRoot(Span span) {
        return isRootParent(span.getParentSpanId());
    }

    /** Whether a span with this parent span id is a root: see {@link #isRoot(Span)}. */
    static boolean isRootParent(ByteString parent) {
        for (int i = 0; i < parent.size(); i++) {
            if (parent.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasError(Span span) {
        return span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR || hasExceptionEvent(span);
    }

    /** Whether any event of the span is named {@code exception} (OpenTelemetry's recorded exceptions). */
    static boolean hasExceptionEvent(Span span) {
        for (Span.Event event : span.getEventsList()) {
            if (EXCEPTION_EVENT.equals(event.getName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The resource's tenant attribute as the resolver must judge it: its string value, or null when absent. A value of
     * another type, or the key given twice with different values, becomes a text that is no valid tenant id, so the
     * group is rejected as {@code invalid-tenant} rather than falling back to the header or the default tenant.
     */
    private static String tenantAttribute(ResourceSpans rs, String key) {
        String found = null;
        for (KeyValue kv : rs.getResource().getAttributesList()) {
            if (!kv.getKey().equals(key)) {
                continue;
            }
            String value = kv.getValue().hasStringValue() ? kv.getValue().getStringValue()
                    : "<" + kv.getValue().getValueCase().name().toLowerCase(Locale.ROOT) + ">";
            if (found != null && !found.equals(value)) {
                return "<" + key + " given twice>";
            }
            found = value;
        }
        return found;
    }

    private static String stringAttribute(ResourceSpans rs, String key) {
        for (KeyValue kv : rs.getResource().getAttributesList()) {
            if (kv.getKey().equals(key) && kv.getValue().hasStringValue()) {
                return kv.getValue().getStringValue();
            }
        }
        return null;
    }
}
