package io.tracesift.aggregation;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A pointer from a histogram to one kept trace.
 *
 * @param traceIdHex  32 lowercase hex characters
 * @param spanIdHex   16 lowercase hex characters
 * @param value       the observed value (seconds for latency histograms)
 * @param epochMillis when it was observed (span end, producer clock)
 */
public record Exemplar(String traceIdHex, String spanIdHex, double value, long epochMillis) {
    private static final HexFormat HEX = HexFormat.of();

    public Exemplar {
        traceIdHex = checkedHex(traceIdHex, 16, "trace id");
        spanIdHex = checkedHex(spanIdHex, 8, "span id");
    }

    /** True when the ids can make an exemplar (wrong-length or non-hex ids cannot). */
    public static boolean validIds(String traceIdHex, String spanIdHex) {
        return isHex(traceIdHex, 16) && isHex(spanIdHex, 8);
    }

    void write(CompactWriter w) {
        w.writeBytes(HEX.parseHex(traceIdHex)).writeBytes(HEX.parseHex(spanIdHex))
                .writeDouble(value).writeVarLong(epochMillis);
    }

    static Exemplar read(CompactReader r) {
        String trace = HEX.formatHex(r.readBytes(16));
        String span = HEX.formatHex(r.readBytes(8));
        return new Exemplar(trace, span, r.readDouble(), r.readVarLong());
    }

    private static String checkedHex(String hex, int bytes, String what) {
        Objects.requireNonNull(hex, what);
        if (!isHex(hex, bytes)) {
            throw new IllegalArgumentException(what + " must be " + 2 * bytes + " hex characters: " + hex);
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    private static boolean isHex(String s, int bytes) {
        if (s == null || s.length() != 2 * bytes) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
