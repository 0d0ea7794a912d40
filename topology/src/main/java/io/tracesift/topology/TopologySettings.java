package io.tracesift.topology;

import io.tracesift.config.ConfigSection;
import io.tracesift.sampling.SamplingEngine;
import io.tracesift.serdes.OtlpEncoding;
import io.tracesift.tenantrouting.Partitioning;
import io.tracesift.tenantrouting.Redactor;
import io.tracesift.tenantrouting.TenantResolver;
import io.tracesift.tenantrouting.TopicNames;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the topology needs from the configuration, parsed and validated once at startup.
 *
 * <p>Sections read: {@code topics:} (input, dlq), {@code input:} (encoding, max-timestamp-skew),
 * {@code assembly:} (send-delay, max-trace-age, idle-timeout, decision-ttl, max-spans-per-trace,
 * skip-repartition, partitioner, punctuate-interval, decide-batch, decide-budget, young-window-bytes), {@code output:}
 * (max-record-bytes, stamp-decision-attributes); {@code tenancy:}, {@code flags:}, {@code redaction:},
 * {@code sampling:} and {@code metrics:} are handed to their modules.
 * {@code topics:} is shared with other modules, so its unknown keys are left to them.
 *
 * <p>{@code assembly.skip-repartition: true} is safe only when every producer writes all spans of one trace
 * to one input partition (keyed by trace id, one partitioner for all producers, a fixed partition count)
 * and each record holds one trace of one tenant; otherwise the spans of a trace land in different tasks and
 * are decided as several partial traces.
 *
 * <p>With the repartition, {@code assembly.partitioner} ({@code sarama-fnv1a}, the Collector's, by default; or
 * {@code kafka-murmur2}, the Java client's) is how the repartition spreads traces, by their hex trace id: a span group
 * whose input partition is already the one it would be sent to is assembled where it is, without the trip through
 * the repartition topic. Naming the producers' partitioner only saves that trip; any choice is correct.
 */
public final class TopologySettings {
    private static final List<String> INPUT_KEYS = List.of("encoding", "max-timestamp-skew");
    private static final List<String> ASSEMBLY_KEYS = List.of("send-delay", "max-trace-age", "idle-timeout",
            "decision-ttl", "max-spans-per-trace", "skip-repartition", "partitioner", "punctuate-interval",
            "decide-batch", "decide-budget", "young-window-bytes");
    /**
     * Per instance, shared by its assembly tasks: a quarter of the heap. The window holds what arrives within about
     * send-delay plus the punctuator's interval (more while a backlog is read): about 100 MB a second per core in the
     * benchmark's burst. RocksDB's memory is off the heap.
     */
    static final long DEFAULT_YOUNG_WINDOW_BYTES = Runtime.getRuntime().maxMemory() / 4;
    private static final List<String> OUTPUT_KEYS = List.of("max-record-bytes", "stamp-decision-attributes");

    private final String inputTopic;
    private final String dlqTopic;
    private final OtlpEncoding encoding;
    private final Duration maxTimestampSkew;
    private final Duration sendDelay;
    private final Duration maxTraceAge;
    private final Duration idleTimeout;
    private final Duration decisionTtl;
    private final int maxSpansPerTrace;
    private final boolean skipRepartition;
    private final Partitioning partitioning;
    private final Duration punctuateInterval;
    private final int decideBatch;
    private final Duration decideBudget;
    private final long youngWindowBytes;
    private final int maxRecordBytes;
    private final boolean stampDecisionAttributes;
    private final TenantResolver tenantResolver;
    private final SamplingEngine samplingEngine;
    private final Redactor redactor;
    private final MetricsSettings metrics;
    private final TenancySettings tenancy;

    private TopologySettings(String inputTopic, String dlqTopic, OtlpEncoding encoding, Duration maxTimestampSkew,
                             Duration sendDelay, Duration maxTraceAge, Duration idleTimeout, Duration decisionTtl,
                             int maxSpansPerTrace, boolean skipRepartition, Partitioning partitioning,
                             Duration punctuateInterval,
                             int decideBatch, Duration decideBudget, long youngWindowBytes, int maxRecordBytes,
                             boolean stampDecisionAttributes,
                             TenantResolver tenantResolver, SamplingEngine samplingEngine, Redactor redactor,
                             MetricsSettings metrics, TenancySettings tenancy) {
        this.inputTopic = inputTopic;
        this.dlqTopic = dlqTopic;
        this.encoding = encoding;
        this.maxTimestampSkew = maxTimestampSkew;
        this.sendDelay = sendDelay;
        this.maxTraceAge = maxTraceAge;
        this.idleTimeout = idleTimeout;
        this.decisionTtl = decisionTtl;
        this.maxSpansPerTrace = maxSpansPerTrace;
        this.skipRepartition = skipRepartition;
        this.partitioning = partitioning;
        this.punctuateInterval = punctuateInterval;
        this.decideBatch = decideBatch;
        this.decideBudget = decideBudget;
        this.youngWindowBytes = youngWindowBytes;
        this.maxRecordBytes = maxRecordBytes;
        this.stampDecisionAttributes = stampDecisionAttributes;
        this.tenantResolver = tenantResolver;
        this.samplingEngine = samplingEngine;
        this.redactor = redactor;
        this.metrics = metrics;
        this.tenancy = tenancy;
    }

    /**
     * Parses the whole configuration tree (the root map of the YAML file; null means all defaults).
     * Appends every problem to {@code problems} and returns null if there was any.
     */
    public static TopologySettings fromConfig(Map<String, Object> root, List<String> problems) {
        int before = problems.size();
        Map<String, Object> tree = root == null ? Map.of() : root;

        ConfigSection topics = ConfigSection.of("topics", tree.get("topics"), problems);
        String inputTopic = topics.text("input", TopicNames.INPUT);
        String dlqTopic = topics.text("dlq", TopicNames.DLQ);

        ConfigSection input = ConfigSection.of("input", tree.get("input"), problems);
        input.rejectUnknownKeys(INPUT_KEYS);
        OtlpEncoding encoding = OtlpEncoding.AUTO;
        String encodingName = input.text("encoding", null);
        if (encodingName != null) {
            try {
                encoding = OtlpEncoding.fromConfig(encodingName);
            } catch (IllegalArgumentException e) {
                problems.add("input.encoding: unknown encoding \"" + encodingName + "\"; valid are otlp_proto, otlp_json, auto");
            }
        }
        Duration skew = input.duration("max-timestamp-skew", Duration.ofDays(7));

        ConfigSection assembly = ConfigSection.of("assembly", tree.get("assembly"), problems);
        assembly.rejectUnknownKeys(ASSEMBLY_KEYS);
        Duration sendDelay = assembly.duration("send-delay", Duration.ofSeconds(2));
        Duration maxTraceAge = assembly.duration("max-trace-age", Duration.ofMinutes(60));
        Duration idleTimeout = assembly.duration("idle-timeout", null);
        Duration decisionTtl = assembly.duration("decision-ttl", Duration.ofHours(2));
        int maxSpans = assembly.integer("max-spans-per-trace", 10_000, 1, Integer.MAX_VALUE);
        boolean skipRepartition = assembly.bool("skip-repartition", false);
        Partitioning partitioning = assembly.choice("partitioner", Partitioning.class, Partitioning.SARAMA_FNV1A);
        Duration punctuate = assembly.positiveDuration("punctuate-interval", Duration.ofMillis(500));
        int decideBatch = assembly.integer("decide-batch", 5_000, 1, Integer.MAX_VALUE);
        Duration decideBudget = assembly.duration("decide-budget", Duration.ofMillis(100));
        long youngWindowBytes = assembly.whole("young-window-bytes", DEFAULT_YOUNG_WINDOW_BYTES, 0, Long.MAX_VALUE);
        if (idleTimeout != null && idleTimeout.isZero()) {
            problems.add("assembly.idle-timeout: must be longer than 0ms; leave it out to disable it");
        }
        if (maxTraceAge.compareTo(sendDelay) < 0) {
            problems.add("assembly.max-trace-age: must be at least assembly.send-delay (" + sendDelay + ")");
        }

        ConfigSection output = ConfigSection.of("output", tree.get("output"), problems);
        output.rejectUnknownKeys(OUTPUT_KEYS);
        int maxRecordBytes = output.integer("max-record-bytes", 1_000_000, 1, Integer.MAX_VALUE);
        if (maxRecordBytes < 1024) {
            problems.add("output.max-record-bytes: must be at least 1024");
        }
        boolean stamp = output.bool("stamp-decision-attributes", true);

        TenantResolver resolver = TenantResolver.fromConfig(section(tree, "tenancy", problems), problems);
        SamplingEngine engine = SamplingEngine.fromConfig(section(tree, "sampling", problems), problems);
        Redactor redactor = Redactor.fromConfig(section(tree, "redaction", problems), problems);
        MetricsSettings metrics = MetricsSettings.fromConfig(tree.get("metrics"), problems);
        TenancySettings tenancy = TenancySettings.fromConfig(section(tree, "tenancy", problems),
                section(tree, "flags", problems), problems);

        if (problems.size() > before) {
            return null;
        }
        return new TopologySettings(inputTopic, dlqTopic, encoding, skew, sendDelay, maxTraceAge, idleTimeout,
                decisionTtl, maxSpans, skipRepartition, partitioning, punctuate, decideBatch, decideBudget, youngWindowBytes,
                maxRecordBytes, stamp, resolver, engine, redactor, metrics, tenancy);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> tree, String name, List<String> problems) {
        Object value = tree.get(name);
        if (value == null || value instanceof Map) {
            return (Map<String, Object>) value;
        }
        problems.add(name + ": must be a mapping of keys to values");
        return null;
    }

    public String inputTopic() { return inputTopic; }

    public String dlqTopic() { return dlqTopic; }

    public OtlpEncoding encoding() { return encoding; }

    /** Spans whose start or end is further than this from their arrival time go to the DLQ. */
    public Duration maxTimestampSkew() { return maxTimestampSkew; }

    /** Wait after the root span's arrival before deciding (default 2 s). */
    public Duration sendDelay() { return sendDelay; }

    /** Longest a trace stays open after its first span arrived (default 60 min). */
    public Duration maxTraceAge() { return maxTraceAge; }

    /** Closes a trace this long after its latest span arrived; empty when disabled (the default). */
    public Optional<Duration> idleTimeout() { return Optional.ofNullable(idleTimeout); }

    /** How long a decision is remembered so that late spans follow it (default 2 h). */
    public Duration decisionTtl() { return decisionTtl; }

    public int maxSpansPerTrace() { return maxSpansPerTrace; }

    public boolean skipRepartition() { return skipRepartition; }

    /** How the repartition spreads traces over partitions, by hex trace id ({@code assembly.partitioner}). */
    public Partitioning partitioning() { return partitioning; }

    public Duration punctuateInterval() { return punctuateInterval; }

    /** At most this many due traces are decided per punctuation; the rest wait for the next one. */
    public int decideBatch() { return decideBatch; }

    /** How long a punctuation decides while input keeps coming and no decision is late (0: no limit). */
    public Duration decideBudget() { return decideBudget; }

    /**
     * Bytes of span groups this instance holds in memory below the changelog, shared evenly by its assembly tasks,
     * before a task's oldest traces go to RocksDB (the span store's young window); 0 writes every group to RocksDB.
     */
    public long youngWindowBytes() { return youngWindowBytes; }

    /** Largest output record value in bytes; larger traces are chunked. */
    public int maxRecordBytes() { return maxRecordBytes; }

    public boolean stampDecisionAttributes() { return stampDecisionAttributes; }

    public TenantResolver tenantResolver() { return tenantResolver; }

    public SamplingEngine samplingEngine() { return samplingEngine; }

    /** Applied by ingest to every ResourceSpans once its tenant is known, before anything is stored or emitted. */
    public Redactor redactor() { return redactor; }

    /** The {@code metrics:} section: whether metrics are computed, and how. */
    public MetricsSettings metrics() { return metrics; }
    /** Admission, output topic creation and rollout flag defaults ({@code tenancy.admission}, {@code tenancy.topics}, {@code flags:}). */
    public TenancySettings tenancy() { return tenancy; }
}
