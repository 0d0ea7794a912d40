package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The facts the summary and the operation list need from one received record, gathered in one pass.
 *
 * @param operations "service\u0000kind\u0000operation" triples (kind is the OTLP span kind number)
 */
record RecordFacts(long startNs, long endNs, int spanCount, int errorSpans, String rootService,
                   String rootOperation, Set<String> services, Set<String> serviceOperations, Set<String> operations) {
    /** OpenTelemetry's value when a resource has no service.name. */
    static final String UNKNOWN_SERVICE = "unknown_service";
    /** Names longer than this are cut, so one odd span cannot bloat a summary. */
    static final int MAX_NAME_CHARS = 256;

    static RecordFacts of(ExportTraceServiceRequest request) {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        int spans = 0;
        int errors = 0;
        String rootService = "";
        String rootOperation = "";
        Set<String> services = new LinkedHashSet<>();
        Set<String> pairs = new LinkedHashSet<>();
        Set<String> operations = new LinkedHashSet<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            String service = serviceName(rs.getResource());
            services.add(service);
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    spans++;
                    start = Math.min(start, span.getStartTimeUnixNano());
                    end = Math.max(end, Math.max(span.getEndTimeUnixNano(), span.getStartTimeUnixNano()));
                    if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
                        errors++;
                    }
                    String name = cut(span.getName());
                    if (span.getParentSpanId().isEmpty() && rootService.isEmpty()) {
                        rootService = service;
                        rootOperation = name;
                    }
                    pairs.add(service + '\u0000' + name);
                    operations.add(service + '\u0000' + span.getKindValue() + '\u0000' + name);
                }
            }
        }
        return new RecordFacts(start, end, spans, errors, rootService, rootOperation, services, pairs, operations);
    }

    static String serviceName(Resource resource) {
        for (KeyValue kv : resource.getAttributesList()) {
            if ("service.name".equals(kv.getKey()) && !kv.getValue().getStringValue().isEmpty()) {
                return cut(kv.getValue().getStringValue());
            }
        }
        return UNKNOWN_SERVICE;
    }

    private static String cut(String s) {
        return s.length() <= MAX_NAME_CHARS ? s : s.substring(0, MAX_NAME_CHARS);
    }
}
