package io.tracesift.query;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's duration syntax as Jaeger's API takes it: "300ms", "1.5s", "1h30m", "250us", "0". */
final class GoDuration {
    static final String VALID = "a Go duration such as \"300ms\", \"1.5s\", \"2m\" or \"1h30m\" "
            + "(units ns, us, µs, ms, s, m, h)";
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private GoDuration() {
    }

    /**
     * @return the duration in whole microseconds (fractions of a µs are dropped)
     * @throws IllegalArgumentException when the text is not a non-negative Go duration
     */
    static long toMicros(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (text.equals("0")) {
            return 0;
        }
        Matcher m = PART.matcher(text);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("'" + text + "' is not " + VALID);
            }
            long unitNanos = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos)));
            at = m.end();
        }
        BigDecimal micros = nanos.movePointLeft(3);
        if (micros.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return micros.longValue();
    }
}
