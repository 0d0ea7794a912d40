package io.tracesift.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses and validates the parameters of Jaeger's v1 endpoints, with Jaeger's units and defaults. */
final class JaegerParameters {
    static final Set<String> SEARCH = Set.of("service", "operation", "tags", "tag", "start", "end", "minDuration",
            "maxDuration", "limit", "lookback", "traceID");
    static final Set<String> OPERATIONS = Set.of("service", "spanKind");
    static final Set<String> DEPENDENCIES = Set.of("endTs", "lookback");
    static final Set<String> NONE = Set.of();
    static final int DEFAULT_LIMIT = 100;
    /** Jaeger searches the last two days unless told otherwise. */
    static final long DEFAULT_SEARCH_WINDOW_US = 2L * 24 * 3600 * 1_000_000;
    static final long DEFAULT_DEPENDENCY_LOOKBACK_MS = 24L * 3600 * 1000;
    static final Set<String> SPAN_KINDS = Set.of("server", "client", "producer", "consumer", "internal");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{1,32}");
    private static final Pattern DAYS = Pattern.compile("(\\d{1,5})d");

    private JaegerParameters() {
    }

    /**
     * A trace id as Jaeger accepts it: 1 to 32 hex digits, zero-padded on the left to 32.
     *
     * @return 32 lowercase hex characters
     */
    static String traceId(String text) {
        if (text == null || !TRACE_ID.matcher(text).matches() || text.chars().allMatch(c -> c == '0')) {
            throw new BadRequest("malformed trace id '" + shorten(text) + "': a trace id is 1 to 32 hex digits "
                    + "(0-9, a-f), not all zero");
        }
        return "0".repeat(32 - text.length()) + text.toLowerCase(java.util.Locale.ROOT);
    }

    static TraceSearch search(RequestParameters p, int maxLimit, long nowUs) {
        long endUs = p.single("end") == null ? nowUs : micros(p.single("end"), "end");
        long startUs;
        if (p.single("start") != null) {
            startUs = micros(p.single("start"), "start");
        } else {
            Long lookback = lookbackMicros(p.single("lookback"));
            startUs = endUs - (lookback == null ? DEFAULT_SEARCH_WINDOW_US : lookback);
        }
        if (startUs > endUs) {
            throw new BadRequest("start (" + startUs + ") is after end (" + endUs + "); start must not exceed end");
        }
        long minUs = p.single("minDuration") == null ? 0 : duration(p.single("minDuration"), "minDuration");
        long maxUs = p.single("maxDuration") == null ? Long.MAX_VALUE : duration(p.single("maxDuration"), "maxDuration");
        if (minUs > maxUs) {
            throw new BadRequest("minDuration is greater than maxDuration; minDuration must not exceed maxDuration");
        }
        int limit = limit(p.single("limit"), maxLimit);
        Map<String, String> tags = tags(p.single("tags"), p.all("tag"));
        String operation = p.single("operation");
        return new TraceSearch(p.single("service"), operation, tags, Math.max(0, startUs), endUs, minUs, maxUs, limit);
    }

    static int limit(String text, int maxLimit) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        String valid = "limit must be a whole number from 0 to " + maxLimit + " (0 means the default, "
                + DEFAULT_LIMIT + ")";
        if (!text.matches("\\d{1,9}")) {
            throw new BadRequest("limit '" + shorten(text) + "' is not a number; " + valid);
        }
        int limit = Integer.parseInt(text);
        if (limit > maxLimit) {
            throw new BadRequest("limit " + limit + " is beyond the maximum; " + valid);
        }
        return limit == 0 ? DEFAULT_LIMIT : limit;
    }

    /** {@code tags} as a JSON object of strings, plus repeated {@code tag=key:value}. */
    static Map<String, String> tags(String json, List<String> pairs) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (json != null) {
            JsonNode node;
            try {
                node = JaegerJson.MAPPER.readTree(json);
            } catch (JsonProcessingException e) {
                node = null;
            }
            if (node == null || !node.isObject()) {
                throw new BadRequest("tags must be a JSON object of strings, e.g. {\"http.status_code\":\"500\"}");
            }
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isValueNode()) {
                    throw new BadRequest("tags value of '" + e.getKey() + "' must be a string, number or boolean");
                }
                tags.put(e.getKey(), e.getValue().asText());
            });
        }
        for (String pair : pairs) {
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest("tag '" + shorten(pair) + "' must be key:value");
            }
            tags.put(pair.substring(0, colon), pair.substring(colon + 1));
        }
        return tags;
    }

    /** {@code spanKind} of /api/operations: null for all kinds. */
    static String spanKind(String text) {
        if (text != null && !SPAN_KINDS.contains(text)) {
            throw new BadRequest("spanKind '" + shorten(text) + "' is not one of " + new java.util.TreeSet<>(SPAN_KINDS));
        }
        return text;
    }

    static long millis(String text, String name) {
        if (!text.matches("\\d{1,15}")) {
            throw new BadRequest(name + " '" + shorten(text) + "' must be epoch milliseconds (a whole number)");
        }
        return Long.parseLong(text);
    }

    static long dependencyLookback(String text) {
        if (text == null) {
            return DEFAULT_DEPENDENCY_LOOKBACK_MS;
        }
        if (!text.matches("\\d{1,15}") || Long.parseLong(text) == 0) {
            throw new BadRequest("lookback '" + shorten(text) + "' must be a positive number of milliseconds");
        }
        return Long.parseLong(text);
    }

    private static long micros(String text, String name) {
        if (!text.matches("\\d{1,17}")) {
            throw new BadRequest(name + " '" + shorten(text) + "' must be epoch microseconds (a whole number)");
        }
        return Long.parseLong(text);
    }

    private static long duration(String text, String name) {
        try {
            return GoDuration.toMicros(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(name + " '" + shorten(text) + "' is not " + GoDuration.VALID);
        }
    }

    /** The Jaeger UI's lookback: a Go duration, whole days ("2d"), or "custom" (start/end given). */
    private static Long lookbackMicros(String text) {
        if (text == null || text.equals("custom")) {
            return null;
        }
        var days = DAYS.matcher(text);
        if (days.matches()) {
            return Long.parseLong(days.group(1)) * 24 * 3600 * 1_000_000;
        }
        try {
            return GoDuration.toMicros(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("lookback '" + shorten(text) + "' is not " + GoDuration.VALID
                    + ", whole days such as \"2d\", or \"custom\"");
        }
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
