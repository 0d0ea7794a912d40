package io.tracesift.workload;

import io.tracesift.config.ConfigSection;

import io.tracesift.tenantrouting.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the workflow generator produces. Immutable; the constructor refuses impossible settings with one
 * message per problem, each naming the setting by its configuration key ({@code generator.<key>}).
 *
 * @param seed                 seeds every random choice: same seed and start time give byte-identical output
 * @param tenants              tenant ids, each a valid {@link TenantId}; workflows are spread evenly over them
 * @param tracesPerSecond      mean arrival rate of workflows (Poisson arrivals), &gt; 0
 * @param errorRate            share of workflows that fail with an exception, in [0, 1]
 * @param slowRate             share of workflows with one very slow operation (5 to 30 s), in [0, 1]
 * @param longRunningRate      share of workflows that run {@code longRunningDuration} with idle gaps, in [0, 1]
 * @param longRunningDuration  nominal length of a long-running workflow (default 30 minutes), &gt; 0
 * @param timeCompression      divides the idle gaps of long-running workflows (1 = real time; 60 turns 30
 *                             minutes into about 30 seconds for demos); work spans keep their real durations
 * @param hugeTraceRate        share of workflows with a bulk tool call of {@code hugeTraceSpans} spans, in [0, 1]
 * @param hugeTraceSpans       spans of a huge trace's bulk step (default 12,000), &gt;= 1
 * @param traceCount           workflows to generate; 0 means no end
 * @param maxSpansPerBatch     spans per emitted batch at most, like an SDK's batch span processor (default 512)
 * @param startTime            timeline start; null means "when the run starts" (set it for reproducible output)
 */
public record GeneratorSettings(
        long seed,
        List<String> tenants,
        double tracesPerSecond,
        double errorRate,
        double slowRate,
        double longRunningRate,
        Duration longRunningDuration,
        double timeCompression,
        double hugeTraceRate,
        int hugeTraceSpans,
        long traceCount,
        int maxSpansPerBatch,
        Instant startTime) {

    public static final String SECTION = "generator";
    private static final List<String> KEYS = List.of("seed", "tenants", "rate", "error-rate", "slow-rate",
            "long-running-rate", "long-running-duration", "time-compression", "huge-trace-rate",
            "huge-trace-spans", "traces", "max-spans-per-batch", "start-time");

    public GeneratorSettings {
        tenants = tenants == null ? null : List.copyOf(tenants);
        List<String> problems = problems(tenants, tracesPerSecond, errorRate, slowRate, longRunningRate,
                longRunningDuration, timeCompression, hugeTraceRate, hugeTraceSpans, traceCount, maxSpansPerBatch);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
    }

    /** Three tenants, 20 workflows/s, 5 % errors, 2 % slow, 1 % long-running (30 min), 1 in 10,000 huge, no end. */
    public static GeneratorSettings defaults() {
        return new GeneratorSettings(42, List.of("acme", "globex", "initech"), 20, 0.05, 0.02, 0.01,
                Duration.ofMinutes(30), 1, 0.0001, 12_000, 0, 512, null);
    }

    /** Built from the {@code generator:} YAML section; every problem is appended; null if there is any. */
    public static GeneratorSettings fromConfig(Map<String, Object> section, List<String> problems) {
        GeneratorSettings d = defaults();
        int before = problems.size();
        ConfigSection in = ConfigSection.of(SECTION, section, problems);
        in.rejectUnknownKeys(KEYS);
        long seed = in.whole("seed", d.seed());
        List<String> tenants = in.texts("tenants", d.tenants());
        double rate = in.number("rate", d.tracesPerSecond());
        double errorRate = in.number("error-rate", d.errorRate());
        double slowRate = in.number("slow-rate", d.slowRate());
        double longRate = in.number("long-running-rate", d.longRunningRate());
        Duration longDuration = in.duration("long-running-duration", d.longRunningDuration());
        double compression = in.number("time-compression", d.timeCompression());
        double hugeRate = in.number("huge-trace-rate", d.hugeTraceRate());
        long hugeSpans = in.whole("huge-trace-spans", d.hugeTraceSpans());
        long traces = in.whole("traces", d.traceCount());
        long perBatch = in.whole("max-spans-per-batch", d.maxSpansPerBatch());
        Instant start = in.instant("start-time", null);
        if (problems.size() > before) {
            return null;
        }
        int hugeSpansInt = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, hugeSpans));
        int perBatchInt = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, perBatch));
        List<String> found = problems(tenants, rate, errorRate, slowRate, longRate, longDuration, compression,
                hugeRate, hugeSpansInt, traces, perBatchInt);
        if (!found.isEmpty()) {
            problems.addAll(found);
            return null;
        }
        return new GeneratorSettings(seed, tenants, rate, errorRate, slowRate, longRate, longDuration,
                compression, hugeRate, hugeSpansInt, traces, perBatchInt, start);
    }

    public GeneratorSettings withSeed(long value) {
        return new GeneratorSettings(value, tenants, tracesPerSecond, errorRate, slowRate, longRunningRate,
                longRunningDuration, timeCompression, hugeTraceRate, hugeTraceSpans, traceCount, maxSpansPerBatch,
                startTime);
    }

    public GeneratorSettings withTenants(List<String> value) {
        return new GeneratorSettings(seed, value, tracesPerSecond, errorRate, slowRate, longRunningRate,
                longRunningDuration, timeCompression, hugeTraceRate, hugeTraceSpans, traceCount, maxSpansPerBatch,
                startTime);
    }

    public GeneratorSettings withRate(double tracesPerSecondValue) {
        return new GeneratorSettings(seed, tenants, tracesPerSecondValue, errorRate, slowRate, longRunningRate,
                longRunningDuration, timeCompression, hugeTraceRate, hugeTraceSpans, traceCount, maxSpansPerBatch,
                startTime);
    }

    public GeneratorSettings withErrorRate(double value) {
        return new GeneratorSettings(seed, tenants, tracesPerSecond, value, slowRate, longRunningRate,
                longRunningDuration, timeCompression, hugeTraceRate, hugeTraceSpans, traceCount, maxSpansPerBatch,
                startTime);
    }

    public GeneratorSettings withSlowRate(double value) {
        return new GeneratorSettings(seed, tenants, tracesPerSecond, errorRate, value, longRunningRate,
                longRunningDuration, timeCompression, hugeTraceRate, hugeTraceSpans, traceCount, maxSpansPerBatch,
                startTime);
    }

    public GeneratorSettings withLongRunning(double rate, Duration duration, double compression) {
        return new GeneratorSettings(seed, tenants, tracesPerSecond, errorRate, slowRate, rate, duration,
                compression, hugeTraceRate, hugeTraceSpans, traceCount, maxSpansPerBatch, startTime);
    }

    public GeneratorSettings withHugeTraces(double rate, int spans) {
        return new GeneratorSettings(seed, tenants, tracesPerSecond, errorRate, slowRate, longRunningRate,
                longRunningDuration, timeCompression, rate, spans, traceCount, maxSpansPerBatch, startTime);
    }

    public GeneratorSettings withTraceCount(long value) {
        return new GeneratorSettings(seed, tenants, tracesPerSecond, errorRate, slowRate, longRunningRate,
                longRunningDuration, timeCompression, hugeTraceRate, hugeTraceSpans, value, maxSpansPerBatch,
                startTime);
    }

    public GeneratorSettings withStartTime(Instant value) {
        return new GeneratorSettings(seed, tenants, tracesPerSecond, errorRate, slowRate, longRunningRate,
                longRunningDuration, timeCompression, hugeTraceRate, hugeTraceSpans, traceCount, maxSpansPerBatch,
                value);
    }

    private static List<String> problems(List<String> tenants, double rate, double errorRate, double slowRate,
                                         double longRate, Duration longDuration, double compression,
                                         double hugeRate, int hugeSpans, long traces, int perBatch) {
        List<String> problems = new ArrayList<>();
        String p = SECTION + ".";
        if (tenants == null || tenants.isEmpty()) {
            problems.add(p + "tenants: at least one tenant is needed; e.g. [acme, globex]");
        } else {
            for (String tenant : tenants) {
                if (!TenantId.isValid(tenant)) {
                    problems.add(p + "tenants: '" + tenant + "' is not a valid tenant id; use 1 to 64 characters"
                            + " of A-Z, a-z, 0-9, '_' and '-', starting with a letter or digit");
                }
            }
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            problems.add(p + "rate: " + rate + " is not a positive number of workflows per second; e.g. 20");
        }
        share(problems, p + "error-rate", errorRate);
        share(problems, p + "slow-rate", slowRate);
        share(problems, p + "long-running-rate", longRate);
        share(problems, p + "huge-trace-rate", hugeRate);
        if (longDuration == null || longDuration.isNegative() || longDuration.isZero()) {
            problems.add(p + "long-running-duration: " + longDuration + " must be positive; e.g. \"30m\"");
        }
        if (!(compression >= 1) || Double.isInfinite(compression)) {
            problems.add(p + "time-compression: " + compression + " must be at least 1 (1 = real time); e.g. 60");
        }
        if (hugeSpans < 1) {
            problems.add(p + "huge-trace-spans: " + hugeSpans + " must be at least 1; e.g. 12000");
        }
        if (traces < 0) {
            problems.add(p + "traces: " + traces + " must not be negative; 0 means no end");
        }
        if (perBatch < 1) {
            problems.add(p + "max-spans-per-batch: " + perBatch + " must be at least 1; e.g. 512");
        }
        return problems;
    }

    private static void share(List<String> problems, String key, double value) {
        if (!(value >= 0 && value <= 1)) {
            problems.add(key + ": " + value + " is outside [0, 1]; use a share such as 0.05");
        }
    }
}
