package io.tracesift.query;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Query-string parameters of one request; names outside the endpoint's set are refused. */
final class RequestParameters {
    private final Map<String, List<String>> values;

    private RequestParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * @param rawQuery the URI's raw query (may be null)
     * @param allowed  the parameter names this endpoint knows
     * @throws BadRequest naming an unknown parameter and the valid ones
     */
    static RequestParameters parse(String rawQuery, Set<String> allowed) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!allowed.contains(name)) {
                    throw new BadRequest("unknown parameter '" + name + "'; valid parameters are "
                            + new TreeSet<>(allowed));
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new RequestParameters(values);
    }

    /** The single value of a parameter, or null when absent or empty. */
    String single(String name) {
        List<String> v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v.size() > 1) {
            throw new BadRequest("parameter '" + name + "' was given " + v.size() + " times; give it once");
        }
        return v.get(0).isEmpty() ? null : v.get(0);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of()).stream().filter(s -> !s.isEmpty()).toList();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the query string is not valid URL encoding: " + e.getMessage());
        }
    }
}
