package io.tracesift.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of the configuration: a non-negative number, optionally with a fraction, and a unit
 * ms, s, m, h or d, such as "500ms", "2s", "1.5s", "60m", "2h" or "7d". A bare number has no unit and is refused,
 * so that nobody has to guess whether "30" means seconds or milliseconds.
 */
public final class ConfigDuration {
    /** What a problem message says is valid. */
    public static final String HELP = "use a number and a unit ms, s, m, h or d, like '500ms', '2s', '1.5s', '60m' or '2h'";

    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,18}(?:\\.\\d{1,9})?)(ms|s|m|h|d)");
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private ConfigDuration() {
    }

    /**
     * @return the duration (to the nanosecond), or empty when the text, stripped of surrounding white space, is not
     *         in the syntax or is longer than {@link Long#MAX_VALUE} nanoseconds (about 292 years)
     */
    public static Optional<Duration> parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long unitNanos = switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
        };
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos));
        if (nanos.compareTo(MAX_NANOS) > 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(nanos.longValue()));
    }
}
