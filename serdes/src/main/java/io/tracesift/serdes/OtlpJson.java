package io.tracesift.serdes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * OTLP/JSON as the OTLP specification ("JSON Protobuf Encoding") and the Collector define it:
 * protobuf's canonical JSON mapping (lowerCamelCase keys, 64-bit integers as strings, enums as
 * integers, unknown fields ignored) except that trace and span ids are hex, not base64.
 * protobuf-java-util does the mapping; this class only rewrites the id fields between the two
 * byte-string spellings, because JsonFormat has no per-field hook.
 */
final class OtlpJson {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().omittingInsignificantWhitespace().printingEnumsAsInts();

    private OtlpJson() {
    }

    static ExportTraceServiceRequest parse(byte[] json) throws OtlpDecodeException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new OtlpDecodeException("undecodable-json", "not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr()), e);
        } catch (IOException e) {
            throw new OtlpDecodeException("undecodable-json", "not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new OtlpDecodeException("empty-record", "record value is empty", null);
        }
        if (!root.isObject()) {
            throw new OtlpDecodeException("undecodable-json",
                    "OTLP/JSON must be an object with \"resourceSpans\", found " + root.getNodeType(), null);
        }
        try {
            rewriteIds(root, OtlpJson::hexToBase64);
        } catch (InvalidId e) {
            throw new OtlpDecodeException("invalid-hex-id", e.getMessage(), null);
        }
        ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
        try {
            PARSER.merge(root.toString(), builder);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new OtlpDecodeException("undecodable-json",
                    "JSON is not an OTLP ExportTraceServiceRequest: " + e.getMessage(), e);
        }
        return builder.build();
    }

    static byte[] print(ExportTraceServiceRequest request) {
        try {
            JsonNode root = MAPPER.readTree(PRINTER.print(request));
            rewriteIds(root, OtlpJson::base64ToHex);
            return MAPPER.writeValueAsBytes(root);
        } catch (InvalidProtocolBufferException | JsonProcessingException | InvalidId e) {
            // Every built OTLP message has a JSON form; failing here is a bug, not bad input.
            throw new IllegalStateException("cannot print OTLP/JSON", e);
        }
    }

    /** A rewrite of one id's text; throws {@link InvalidId} when the text cannot be an id. */
    private interface IdRewrite {
        String apply(String text, String path, int idBytes) throws InvalidId;
    }

    private static final class InvalidId extends Exception {
        InvalidId(String message) {
            super(message, null, false, false);
        }
    }

    private static void rewriteIds(JsonNode root, IdRewrite rewrite) throws InvalidId {
        int r = 0;
        for (JsonNode resourceSpans : array(root, "resourceSpans", "resource_spans")) {
            int s = 0;
            for (JsonNode scopeSpans : array(resourceSpans, "scopeSpans", "scope_spans")) {
                int i = 0;
                for (JsonNode span : array(scopeSpans, "spans", "spans")) {
                    String at = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "]";
                    rewrite(span, at, rewrite, "traceId", "trace_id", TraceIds.TRACE_ID_BYTES);
                    rewrite(span, at, rewrite, "spanId", "span_id", TraceIds.SPAN_ID_BYTES);
                    rewrite(span, at, rewrite, "parentSpanId", "parent_span_id", TraceIds.SPAN_ID_BYTES);
                    int l = 0;
                    for (JsonNode link : array(span, "links", "links")) {
                        String linkAt = at + ".links[" + l + "]";
                        rewrite(link, linkAt, rewrite, "traceId", "trace_id", TraceIds.TRACE_ID_BYTES);
                        rewrite(link, linkAt, rewrite, "spanId", "span_id", TraceIds.SPAN_ID_BYTES);
                        l++;
                    }
                    i++;
                }
                s++;
            }
            r++;
        }
    }

    private static Iterable<JsonNode> array(JsonNode parent, String camel, String snake) {
        JsonNode node = parent.has(camel) ? parent.get(camel) : parent.get(snake);
        // Wrong shapes are left for JsonFormat, which reports them with the field name.
        return node != null && node.isArray() && parent.isObject() ? node : List.of();
    }

    private static void rewrite(JsonNode owner, String at, IdRewrite rewrite, String camel, String snake, int idBytes)
            throws InvalidId {
        if (!owner.isObject()) {
            return;
        }
        String key = owner.has(camel) ? camel : snake;
        JsonNode value = owner.get(key);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isTextual()) {
            throw new InvalidId(at + "." + camel + ": expected a hex string, found " + value.getNodeType());
        }
        ((ObjectNode) owner).set(key, TextNode.valueOf(rewrite.apply(value.textValue(), at + "." + camel, idBytes)));
    }

    /** Empty means "no id" (a root span's parent); anything else must be the id's exact hex length. */
    private static String hexToBase64(String hex, String path, int idBytes) throws InvalidId {
        if (hex.isEmpty()) {
            return hex;
        }
        if (hex.length() != idBytes * 2) {
            throw new InvalidId(path + ": expected " + idBytes * 2 + " hex characters, found " + hex.length()
                    + " (\"" + abbreviate(hex) + "\")");
        }
        try {
            return Base64.getEncoder().encodeToString(TraceIds.fromHex(hex));
        } catch (IllegalArgumentException e) {
            throw new InvalidId(path + ": " + e.getMessage());
        }
    }

    private static String base64ToHex(String base64, String path, int idBytes) {
        return TraceIds.toHex(Base64.getDecoder().decode(base64));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
