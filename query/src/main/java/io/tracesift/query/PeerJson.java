package io.tracesift.query;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.google.protobuf.InvalidProtocolBufferException;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How instances exchange answers: traces as summary fields plus base64 OTLP protobuf, searches as parameters. */
final class PeerJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Field of an in-process answer holding the traces themselves; never sent (it would not serialize). */
    private static final String IN_PROCESS = "tracesHere";

    private PeerJson() {
    }

    /**
     * @param wire false for this instance's own answer: the traces are carried as objects ({@link #tracesOf} reads
     *             them back), since encoding ~1,500 traces only to decode them again was a tenth of a large search
     */
    static ObjectNode traces(List<StoredTrace> traces, List<String> warnings, boolean wire) {
        ObjectNode out = NODES.objectNode();
        if (!wire) {
            out.putPOJO(IN_PROCESS, List.copyOf(traces));
            out.putArray("warnings").addAll(warnings.stream().map(NODES::textNode).toList());
            return out;
        }
        ArrayNode list = out.putArray("traces");
        for (StoredTrace t : traces) {
            ObjectNode n = list.addObject();
            n.put("traceID", t.traceIdHex());
            n.put("startNs", t.startNs());
            n.put("durationNs", t.durationNs());
            n.put("spanCount", t.spanCount());
            n.put("errorSpans", t.errorSpans());
            ArrayNode w = n.putArray("warnings");
            t.warnings().forEach(w::add);
            n.put("otlp", Base64.getEncoder().encodeToString(t.spans().toByteArray()));
        }
        ArrayNode w = out.putArray("warnings");
        warnings.forEach(w::add);
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<StoredTrace> tracesOf(JsonNode answer) {
        if (answer.get(IN_PROCESS) instanceof POJONode here) {
            return (List<StoredTrace>) here.getPojo();
        }
        List<StoredTrace> out = new ArrayList<>();
        for (JsonNode n : answer.path("traces")) {
            ExportTraceServiceRequest spans;
            try {
                spans = ExportTraceServiceRequest.parseFrom(Base64.getDecoder().decode(n.path("otlp").asText()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a peer sent a trace that does not parse", e);
            }
            out.add(new StoredTrace(n.path("traceID").asText(), n.path("startNs").asLong(), n.path("durationNs").asLong(),
                    n.path("spanCount").asInt(), n.path("errorSpans").asInt(), spans, strings(n.path("warnings"))));
        }
        return out;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(s -> out.add(s.asText()));
        return out;
    }

    /** A search as internal request parameters (exact units, no defaults to re-apply). */
    static Map<String, String> searchParams(TraceSearch s) {
        Map<String, String> p = new LinkedHashMap<>();
        if (s.service() != null) {
            p.put("service", s.service());
        }
        if (s.operation() != null) {
            p.put("operation", s.operation());
        }
        ObjectNode tags = NODES.objectNode();
        s.tags().forEach(tags::put);
        p.put("tags", tags.toString());
        p.put("startUs", Long.toString(s.startUs()));
        p.put("endUs", Long.toString(s.endUs()));
        p.put("minUs", Long.toString(s.minDurationUs()));
        p.put("maxUs", Long.toString(s.maxDurationUs()));
        p.put("limit", Integer.toString(s.limit()));
        return p;
    }

    static TraceSearch searchOf(RequestParameters p) {
        return new TraceSearch(p.single("service"), p.single("operation"), JaegerParameters.tags(p.single("tags"), List.of()),
                number(p, "startUs"), number(p, "endUs"), number(p, "minUs"), number(p, "maxUs"), (int) number(p, "limit"));
    }

    static long number(RequestParameters p, String name) {
        String v = p.single(name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadRequest("internal parameter " + name + " must be a whole number");
        }
    }
}
