package io.tracesift.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.tracesift.config.ConfigSection;
import io.tracesift.kafkalocal.BrokerSettings;
import io.tracesift.kafkalocal.FolderTree;
import io.tracesift.kafkalocal.LocalKafkaBroker;
import io.tracesift.kafkalocal.Topics;
import io.tracesift.tenantrouting.TenantId;
import io.tracesift.tenantrouting.TenantSettings;
import io.tracesift.tenantrouting.TenantTopicSpec;
import io.tracesift.tenantrouting.TopicProvisioner;
import io.tracesift.topology.NativeAllocator;
import io.tracesift.topology.PipelineCounters;
import io.tracesift.topology.TopologySettings;
import io.tracesift.topology.TracesiftTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code tracesift bench}: one run on a local broker, the same generated input for every phase —
 * (a) a plain consumer fully decoding every span (the machine's limit), (b) the textbook session-window
 * aggregate, (c) tracesift with the repartition skipped and with it; then tracesift on traces of fixed sizes
 * for the per-span cost; peak heap per phase; last, the freshness of {@code /metrics} under a steady load
 * ({@link FreshnessPhase}). Untimed warm-ups run first: (b) over a smaller input, then a whole round of (a) and (c)
 * over the main input.
 *
 * <p>Clock: from the start of the consumer or of {@code KafkaStreams.start()} until every input record is
 * consumed — for Kafka Streams phases, until the application's committed offsets reach the end of the input
 * (and of the repartition topic), that is until every span is durably assembled under exactly-once. Rates and
 * CPU per span count from the first spans seen consumed ({@link PhaseResult.Steady}); (a) and (c) run in three
 * rounds and the ratios compare medians ({@link ThroughputRounds}).
 */
public final class Benchmark {
    private static final String INPUT_TOPIC = "otlp_spans";
    /** Tenants of the main input; the fixed-size inputs use the first. */
    static final List<String> TENANTS = List.of("acme", "globex", "initech");
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration DECIDE_WAIT = Duration.ofSeconds(60);
    /** Spans of (b)'s warm-up input at most (fewer when the main input is smaller). */
    private static final long WARM_UP_SPANS = 100_000;
    /** Rounds of the runs the ratios compare ({@link ThroughputRounds}): three, so one disturbed run does not move a median. */
    private static final int ROUNDS = 3;
    /** Spans (kept in memory) and rounds of the metrics code measured alone: a round takes about a tenth of a second. */
    private static final long METRICS_CODE_SPANS = 100_000;
    private static final int METRICS_CODE_ROUNDS = 21;

    private final BenchSettings settings;
    private final PrintStream out;
    private final Path stateRoot;
    /** Span groups by route ({@link PipelineCounters#spanGroupsByRoute}) of each tracesift phase with the repartition. */
    private final Map<String, Map<String, Long>> spanGroupRoutes = new HashMap<>();
    private String bootstrapServers;
    private Path brokerDataDir;
    private long brokerPid = -1;

    private Benchmark(BenchSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.stateRoot = settings.dataDir().resolve("state");
    }

    /** Runs every phase and prints progress, then the figures; returns 0 (figures printed) or throws. */
    public static int run(BenchSettings settings, PrintStream out) throws InterruptedException {
        return new Benchmark(settings, out).run();
    }

    private int run() throws InterruptedException {
        String loadBefore = Machine.load();
        out.println("bench: machine " + Machine.describe() + " load " + loadBefore);
        out.println("bench: " + HeapPeak.keepCommittedHeap());
        out.println("bench: " + NativeAllocator.describe(System.getenv()));
        if (!settings.streamsOverrides().isEmpty()) {
            out.println("bench: Kafka Streams properties for every Streams phase: " + new TreeMap<>(settings.streamsOverrides()));
        }
        if (!settings.tracesiftConfig().isEmpty()) {
            out.println("bench: tracesift configuration under every tracesift run but freshness's: "
                    + new TreeMap<>(settings.tracesiftConfig()));
        }
        // A deleted topic's files go at once (default: a minute later), so that deleting the gigabytes the textbook
        // topology wrote happens when it ends, not during the next phases (see deleteInternalTopics).
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerSettings.of(0, settings.dataDir().resolve("kafka"))
                .withExtraProperties(Map.of("message.max.bytes", String.valueOf(2 * 1024 * 1024),
                        "log.segment.delete.delay.ms", "0")))) {
            bootstrapServers = broker.bootstrapServers();
            brokerDataDir = broker.dataDir();
            brokerPid = broker.pid();
            out.println("bench: broker at " + bootstrapServers);
            Topics.create(bootstrapServers, 1, "tracesift-dlq");
            // Tenant topics exist before the clock starts: their one-time creation is not what is measured.
            try (TopicProvisioner provisioner = new TopicProvisioner(Map.of("bootstrap.servers", bootstrapServers),
                    TenantTopicSpec.defaults())) {
                for (String tenant : TENANTS) {
                    provisioner.ensure(new TenantId(tenant), TenantSettings.DEFAULTS);
                }
            }

            out.println("bench: writing the input (~" + settings.spans() + " spans, seed " + settings.seed()
                    + ", grouping " + settings.grouping() + ", partitioned by " + ConfigSection.configName(settings.inputPartitioning())
                    + " of the hex trace id)");
            InputTopic main = InputTopic.write(bootstrapServers, INPUT_TOPIC, settings.partitions(),
                    settings.inputPartitioning(),
                    new WorkflowInput(settings.seed(), settings.spans(), TENANTS, settings.grouping()));
            out.printf(Locale.ROOT, "bench: input %s: %d spans, %d traces (%.1f spans/trace), %d records (%.1f"
                            + " records/trace), %.0f B/span%n",
                    main.name(), main.spans(), main.traces(), (double) main.spans() / main.traces(), main.records(),
                    (double) main.records() / main.traces(), main.bytesPerSpan());

            warmUp();
            PhaseResult naive = streams("naive", "bench-naive",
                    NaiveTopology.build(main.name(), NaiveTopology.Granularity.SPAN), main, null, null, settings.naiveBudget());
            PhaseResult naivePerRecord = streams("naive-per-record", "bench-naive-per-record",
                    NaiveTopology.build(main.name(), NaiveTopology.Granularity.RECORD), main, null, null,
                    settings.naiveBudget());
            ThroughputRounds rounds = rounds(main);
            out.println("bench: metrics code in isolation (~" + METRICS_CODE_SPANS + " spans of the main input's kind)");
            MetricsCodeCost metricsCode = MetricsCodeCost.measure(
                    new WorkflowInput(settings.seed(), Math.min(settings.spans(), METRICS_CODE_SPANS), TENANTS,
                            settings.grouping()), METRICS_CODE_ROUNDS);

            Map<Integer, InputTopic> sizedInputs = new LinkedHashMap<>();
            for (int size : settings.traceSizes()) {
                out.println("bench: writing traces of " + size + " spans (~" + settings.sizeSpans() + " spans)");
                sizedInputs.put(size, InputTopic.write(bootstrapServers, "bench-traces-" + size, settings.partitions(),
                        settings.inputPartitioning(),
                        new SizedTraceInput(settings.seed(), settings.sizeSpans(), size)));
            }
            // In rounds too: each of these phases lasts seconds, and one pause moves a single run's wall figure.
            Map<Integer, List<PhaseResult>> bySize = new LinkedHashMap<>();
            for (int round = 1; round <= ROUNDS; round++) {
                String suffix = round == 1 ? "" : "-" + round;
                for (var sized : sizedInputs.entrySet()) {
                    bySize.computeIfAbsent(sized.getKey(), k -> new ArrayList<>()).add(
                            tracesift("tracesift-" + sized.getKey() + "-span-traces" + suffix, sized.getValue(), false, true));
                }
            }
            List<FreshnessResult> freshness = new FreshnessPhase(settings, bootstrapServers, stateRoot, out).run();
            report(naive, naivePerRecord, rounds, metricsCode, bySize, freshness, loadBefore);
        } finally {
            FolderTree.delete(settings.dataDir());
        }
        return 0;
    }

    /**
     * Runs the naive topology once per granularity, untimed, over a smaller input of the same kind, so its measured
     * phases run compiled code: every phase shares this JVM, and without it the first phases paid for the JIT
     * compilation of what the later ones reuse. (a) and (c) get a whole round of their own before theirs.
     */
    private void warmUp() throws InterruptedException {
        long spans = Math.min(settings.spans(), WARM_UP_SPANS);
        out.println("bench: warm-up, untimed and not reported (~" + spans + " spans)");
        InputTopic warmUp = InputTopic.write(bootstrapServers, "bench-warm-up", settings.partitions(),
                settings.inputPartitioning(),
                new WorkflowInput(settings.seed() + 1, spans, TENANTS, settings.grouping()));
        for (NaiveTopology.Granularity granularity : NaiveTopology.Granularity.values()) {
            streams("warm-up-naive-" + granularity.name().toLowerCase(Locale.ROOT), "bench-warm-up-naive-" + granularity.ordinal(),
                    NaiveTopology.build(warmUp.name(), granularity), warmUp, null, null, settings.naiveBudget());
        }
    }

    /**
     * The runs c/a, c/b and the metrics cost compare ({@link ThroughputRounds}), in turns: per round the consumer,
     * then tracesift with the repartition skipped with metrics and without (issue 5 asks metrics to cost under 1 % of
     * the pipeline's CPU) and tracesift with the repartition, in the round's {@link ThroughputRounds#order}.
     */
    private ThroughputRounds rounds(InputTopic main) throws InterruptedException {
        Map<ThroughputRounds.Kind, List<PhaseResult>> runs = new EnumMap<>(ThroughputRounds.Kind.class);
        List<PhaseResult> baseline = new ArrayList<>();
        // A whole round first, untimed: after the minute of (b) between them, a small warm-up did not carry over, and
        // the first measured round ran tracesift at about half the speed of the two after it (see BENCHMARKS.md).
        out.println("bench: warm-up round over the main input, untimed and not reported");
        baseline("warm-up-baseline-consumer", main);
        for (ThroughputRounds.Kind kind : ThroughputRounds.order(0)) {
            tracesift("warm-up-" + kind.phase, main, kind.skipRepartition, kind.metrics);
        }
        for (int round = 1; round <= ROUNDS; round++) {
            String suffix = round == 1 ? "" : "-" + round;
            baseline.add(baseline("baseline-consumer" + suffix, main));
            for (ThroughputRounds.Kind kind : ThroughputRounds.order(round - 1)) {
                runs.computeIfAbsent(kind, k -> new ArrayList<>())
                        .add(tracesift(kind.phase + suffix, main, kind.skipRepartition, kind.metrics));
            }
        }
        return new ThroughputRounds(baseline, runs.get(ThroughputRounds.Kind.SKIP),
                runs.get(ThroughputRounds.Kind.SKIP_NO_METRICS), runs.get(ThroughputRounds.Kind.REPARTITION));
    }

    /** (a) One consumer over all partitions, every record fully decoded. */
    private PhaseResult baseline(String name, InputTopic input) {
        out.println("bench: phase " + name + " (full ExportTraceServiceRequest.parseFrom of every record)");
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < input.partitions(); p++) {
            partitions.add(new TopicPartition(input.name(), p));
        }
        try (HeapPeak heap = new HeapPeak();
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
            ThreadCpu cpuStart = ThreadCpu.now(brokerPid);
            long cpu0 = cpuStart.processNanos();
            long t0 = System.nanoTime();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long spans = 0;
            long nextProgress = t0 + PROGRESS_EVERY.toNanos();
            SteadyClock steady = new SteadyClock(t0, cpuStart, brokerPid);
            while (spans < input.spans()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    spans += spanCount(ExportTraceServiceRequest.parseFrom(record.value()));
                }
                steady.observe(spans);
                if (System.nanoTime() > nextProgress) {
                    heap.sample();
                    progress(name, spans, input.spans(), t0);
                    nextProgress += PROGRESS_EVERY.toNanos();
                }
            }
            long end = System.nanoTime();
            ThreadCpu cpuEnd = ThreadCpu.now(brokerPid);
            heap.sample();
            return new PhaseResult(name, spans, input.spans(), (end - t0) / 1e9, (cpuEnd.processNanos() - cpu0) / 1e9,
                    steady.until(end, cpuEnd, spans), Double.NaN, Double.NaN, Double.NaN, -1, heap.peakUsedBytes(),
                    heap.peakAfterGcBytes(), ChangelogTraffic.NONE);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("the benchmark input does not decode: " + e, e);
        }
    }

    private PhaseResult tracesift(String name, InputTopic input, boolean skipRepartition, boolean metrics)
            throws InterruptedException {
        List<String> problems = new ArrayList<>();
        Map<String, Object> tree = new LinkedHashMap<>(settings.tracesiftConfig());
        set(tree, "topics", "input", input.name());
        set(tree, "assembly", "skip-repartition", skipRepartition);
        set(tree, "metrics", "enabled", metrics);
        TopologySettings topologySettings = TopologySettings.fromConfig(tree, problems);
        if (topologySettings == null) {
            throw new IllegalStateException("benchmark configuration invalid: " + problems);
        }
        PipelineCounters counters = new PipelineCounters();
        StreamsBuilder builder = new StreamsBuilder();
        String applicationId = "bench-" + name;
        try (TopicProvisioner provisioner = new TopicProvisioner(Map.of("bootstrap.servers", bootstrapServers),
                TenantTopicSpec.defaults())) {
            // The flags and tenant registry are global tables: their topics must exist before Streams starts.
            topologySettings.tenancy().controlTopics().forEach(provisioner::ensureCompacted);
            TracesiftTopology.build(builder, topologySettings, t -> provisioner.ensure(t, TenantSettings.DEFAULTS),
                    counters);
            String repartitionTopic = skipRepartition ? null
                    : applicationId + "-" + TracesiftTopology.REPARTITION + "-repartition";
            PhaseResult result = streams(name, applicationId, builder.build(), input, repartitionTopic, counters, null);
            if (!skipRepartition) {
                spanGroupRoutes.put(name, counters.spanGroupsByRoute());
            }
            return result;
        }
    }

    /** Sets {@code section.key} in a copy of the section, leaving the rest of the tree's section as it was. */
    private static void set(Map<String, Object> tree, String section, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (tree.get(section) instanceof Map<?, ?> given) {
            given.forEach((k, v) -> copy.put(String.valueOf(k), v));
        }
        copy.put(key, value);
        tree.put(section, copy);
    }

    /**
     * Runs one Kafka Streams application (exactly_once_v2 and tracesift's other Streams defaults) over the input
     * until its committed offsets cover the input, or until {@code budget} (null: no limit).
     */
    private PhaseResult streams(String name, String applicationId, Topology topology, InputTopic input,
                                String repartitionTopic, PipelineCounters counters, Duration budget)
            throws InterruptedException {
        out.println("bench: phase " + name + (budget == null ? "" : " (at most " + budget.toSeconds() + " s)"));
        Properties props = TracesiftTopology.streamsProperties(applicationId, bootstrapServers,
                stateRoot.resolve(applicationId).toString(), settings.streamsOverrides());
        try (HeapPeak heap = new HeapPeak();
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
             KafkaStreams streams = new KafkaStreams(topology, props)) {
            ThreadCpu cpuStart = ThreadCpu.now(brokerPid);
            long cpu0 = cpuStart.processNanos();
            long t0 = System.nanoTime();
            streams.start();
            long nextProgress = t0 + PROGRESS_EVERY.toNanos();
            long spans = 0;
            long now = t0;
            SteadyClock steady = new SteadyClock(t0, cpuStart, brokerPid);
            while (true) {
                Thread.sleep(100);
                heap.sample();
                now = System.nanoTime();
                if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                    throw new IllegalStateException(name + ": Kafka Streams stopped (" + streams.state() + ")");
                }
                Map<TopicPartition, Long> committed = committed(admin, applicationId);
                spans = input.spansCommitted(committed);
                steady.observe(spans);
                if (spans == input.spans() && caughtUp(admin, repartitionTopic, committed)) {
                    break;
                }
                if (budget != null && now - t0 > budget.toNanos()) {
                    break;
                }
                if (now > nextProgress) {
                    progress(name, spans, input.spans(), t0);
                    nextProgress += PROGRESS_EVERY.toNanos();
                }
            }
            double seconds = (now - t0) / 1e9;
            ThreadCpu threadsEnd = ThreadCpu.now(brokerPid);
            long cpuEnd = threadsEnd.processNanos();
            double cpuSeconds = (cpuEnd - cpu0) / 1e9;
            PhaseResult.Steady steadyPart = steady.until(now, threadsEnd, spans);
            double decidedSeconds = counters == null ? Double.NaN : awaitDecided(counters, input, t0, heap);
            double decidedCpuSeconds = Double.isNaN(decidedSeconds) ? Double.NaN : (processCpuNanos() - cpuEnd) / 1e9;
            long brokerTicksDecided = ThreadCpu.brokerTicks(brokerPid);
            double decidedBrokerCpuSeconds = Double.isNaN(decidedSeconds) || brokerTicksDecided < 0
                    || threadsEnd.brokerTicks() < 0 ? Double.NaN
                    : (double) (brokerTicksDecided - threadsEnd.brokerTicks()) / ThreadCpu.TICKS_PER_SECOND;
            progress(name, spans, input.spans(), t0);
            if (counters != null) {
                decisions(name, counters);
            }
            long lateSpans = counters == null ? -1 : counters.lateSpansKept() + counters.lateSpansDropped();
            return new PhaseResult(name, spans, input.spans(), seconds, cpuSeconds, steadyPart, decidedSeconds,
                    decidedCpuSeconds, decidedBrokerCpuSeconds, lateSpans, heap.peakUsedBytes(), heap.peakAfterGcBytes(),
                    ChangelogTraffic.of(admin, applicationId));
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": cannot read committed offsets or changelog sizes: " + e.getCause(),
                    e.getCause());
        } finally {
            FolderTree.delete(stateRoot.resolve(applicationId));
            deleteInternalTopics(applicationId);
        }
    }

    /**
     * Deletes a finished phase's changelog and repartition topics, so that no phase's leftovers (the textbook
     * topology rewrites each trace per span: gigabytes of changelog) stay on the broker for its log cleaner to
     * compact on the same two cores while later phases are measured; and waits until the broker has removed their
     * files, so that it does not do that during the next phase either.
     */
    private void deleteInternalTopics(String applicationId) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<String> internal = admin.listTopics().names().get().stream()
                    .filter(topic -> topic.startsWith(applicationId + "-")
                            && (topic.endsWith("-changelog") || topic.endsWith("-repartition"))).toList();
            admin.deleteTopics(internal).all().get();
            awaitFilesDeleted(internal);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot delete the internal topics of " + applicationId + ": " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting the internal topics of " + applicationId, e);
        }
    }

    /** Waits up to a minute until no partition folder of these topics is left in the broker's log folder. */
    private void awaitFilesDeleted(List<String> topics) throws InterruptedException {
        Path logDir = brokerDataDir.resolve("data");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            try (Stream<Path> folders = Files.list(logDir)) {
                // Partition folders are <topic>-<partition>, renamed <topic>-<partition>.<id>-delete until removed.
                if (folders.map(f -> f.getFileName().toString())
                        .noneMatch(name -> topics.stream().anyMatch(t -> name.startsWith(t + "-")))) {
                    return;
                }
            } catch (IOException e) {
                return; // the broker's folder cannot be listed: nothing to wait for that can be seen
            }
            Thread.sleep(100);
        }
        out.println("bench: the broker still holds files of " + topics + " a minute after their deletion");
    }

    /**
     * Seconds from start until every span's trace was decided (kept or dropped), NaN if not within a minute. A span
     * that arrives after its trace's decision (a late span, which follows the decision) counts as decided.
     */
    private double awaitDecided(PipelineCounters counters, InputTopic input, long t0, HeapPeak heap)
            throws InterruptedException {
        long deadline = System.nanoTime() + DECIDE_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            long decided = Stream.of(counters.keptSpansByRule(), counters.droppedSpansByRule())
                    .flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum()
                    + counters.lateSpansKept() + counters.lateSpansDropped();
            if (decided >= input.spans()) {
                return (System.nanoTime() - t0) / 1e9;
            }
            heap.sample();
            Thread.sleep(50);
        }
        return Double.NaN;
    }

    private static Map<TopicPartition, Long> committed(Admin admin, String groupId)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> result = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (om != null) {
                result.put(tp, om.offset());
            }
        });
        return result;
    }

    /**
     * The repartition topic is written in transactions, so each partition that holds data ends with a commit
     * marker the consumer need not commit past: caught up = committed at least end - 1. Checked only once the
     * input is committed, which commits every repartition write with it (same transactions).
     */
    private static boolean caughtUp(Admin admin, String repartitionTopic, Map<TopicPartition, Long> committed)
            throws ExecutionException, InterruptedException {
        if (repartitionTopic == null) {
            return true;
        }
        var description = admin.describeTopics(List.of(repartitionTopic)).allTopicNames().get().get(repartitionTopic);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        description.partitions().forEach(p -> request.put(new TopicPartition(repartitionTopic, p.partition()),
                OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get();
        for (var end : ends.entrySet()) {
            long endOffset = end.getValue().offset();
            if (endOffset > 0 && committed.getOrDefault(end.getKey(), 0L) < endOffset - 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * The decisions' share of spans by rule: what the output and the decision's work scale with (under the default
     * sampling, every trace whose root lasts 2 s or more is kept as slow).
     */
    private void decisions(String phase, PipelineCounters counters) {
        Map<String, Long> kept = new TreeMap<>(counters.keptSpansByRule());
        Map<String, Long> dropped = new TreeMap<>(counters.droppedSpansByRule());
        long keptSpans = kept.values().stream().mapToLong(Long::longValue).sum();
        long all = keptSpans + dropped.values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "bench: %s: decisions kept %,d of %,d spans (%.1f %%), by rule %s; dropped by rule %s;"
                        + " young window moved to RocksDB (bytes, by reason) %s%n",
                phase, keptSpans, all, all == 0 ? Double.NaN : 100.0 * keptSpans / all, kept, dropped,
                counters.youngWindowWrittenBelow());
    }

    private void progress(String phase, long spans, long total, long t0) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "bench: %s: %,d / %,d spans in %.1f s (%,.0f spans/s)%n", phase, spans, total,
                seconds, spans / seconds);
    }

    private void report(PhaseResult b, PhaseResult perRecord, ThroughputRounds rounds, MetricsCodeCost metricsCode,
                        Map<Integer, List<PhaseResult>> bySize,
                        List<FreshnessResult> freshness, String loadBefore) {
        out.println();
        out.println("RESULTS (spans/s = spans consumed, durably assembled for Kafka Streams, per wall second after"
                + " start-up, i.e. from the first spans seen consumed; CPU over the same interval)");
        List<PhaseResult> phases = new ArrayList<>(List.of(b, perRecord));
        phases.addAll(rounds.all());
        for (PhaseResult phase : phases) {
            line(phase);
        }
        double a = ThroughputRounds.medianSpansPerSecond(rounds.baseline());
        double skip = ThroughputRounds.medianSpansPerSecond(rounds.skip());
        double repartition = ThroughputRounds.medianSpansPerSecond(rounds.repartition());
        ratio("c/a (repartition skipped)", skip / a, ">= 0.40", 0.40);
        ratio("c/a (with repartition)", repartition / a, ">= 0.25", 0.25);
        ratio("c/b (repartition skipped)", skip / b.spansPerSecond(), ">= 5", 5);
        ratio("c/b (with repartition)", repartition / b.spansPerSecond(), ">= 5", 5);
        // The target's baseline is (b), one update per span; against one update per record, for the record.
        out.printf(Locale.ROOT, "ratio %-36s %7.2f (skipped) / %.2f (with repartition), no target%n",
                "c/naive-per-record", skip / perRecord.spansPerSecond(), repartition / perRecord.spansPerSecond());
        out.println(rounds.describe());
        sustainable("c/a by CPU until decided (skipped)", rounds.skip(), a);
        sustainable("c/a by CPU until decided (with)", rounds.repartition(), a);
        out.println("CPU BY THREAD (us/span after start-up, medians of " + ROUNDS + " rounds; the broker is the other JVM"
                + " on the same cores; " + ThreadCpu.EXITED + ": threads that ended within the phase; page faults:"
                + " this JVM's minor faults per span, a cost of touching fresh memory)");
        threadSplit("baseline-consumer", rounds.baseline());
        threadSplit("tracesift-skip-repartition", rounds.skip());
        threadSplit("tracesift-skip-repartition-metrics-off", rounds.skipNoMetrics());
        threadSplit("tracesift-repartition", rounds.repartition());
        out.println("CHANGELOGS (per input span, until every trace was decided: offsets, i.e. records plus a transaction"
                + " marker per commit and partition, and bytes in the broker's log; the round with the median offsets)");
        changelogs("tracesift-skip-repartition", rounds.skip());
        changelogs("tracesift-skip-repartition-metrics-off", rounds.skipNoMetrics());
        changelogs("tracesift-repartition", rounds.repartition());
        routes(rounds.repartition());
        MetricsCost metricsCost = rounds.metricsCost();
        double share = metricsCost.share();
        // Run 69 printed -0.11, "met", with the code alone at 0.036 of the pipeline's CPU.
        double offCpu = metricsCost.offMedian();
        double lowerBound = metricsCode.shareOf(offCpu);
        double judged = metricsCost.judgedShare(lowerBound);
        ratio("metrics CPU share (skip repartition)", share, "< 0.01", -0.01, judged,
                judged > share ? String.format(Locale.ROOT, " (judged by the metrics code alone, %.3f: a lower"
                        + " bound of the share, above the measured one)", lowerBound) : "");
        out.println(metricsCost.describe());
        out.println(metricsCode.describe(offCpu));
        out.println(metricsCode.describeParts(offCpu));
        out.println(metricsCode.describeIngest());
        out.println("PER-SPAN COST by trace size (tracesift with repartition, " + SizedTraceInput.SPANS_PER_RECORD
                + " spans per record; medians of " + ROUNDS + " rounds)");
        Map<Integer, double[]> medians = new LinkedHashMap<>();
        for (var entry : bySize.entrySet()) {
            List<PhaseResult> runs = entry.getValue();
            double wall = ThroughputRounds.median(runs, PhaseResult::wallMicrosPerSpan);
            double cpu = ThroughputRounds.median(runs, PhaseResult::cpuMicrosPerSpan);
            medians.put(entry.getKey(), new double[] {wall, cpu});
            out.printf(Locale.ROOT, "size %5d spans/trace: %8.2f us/span wall, %8.2f us/span CPU, %,10.0f spans/s"
                            + " (rounds, us/span wall: %s)%n", entry.getKey(), wall, cpu,
                    ThroughputRounds.medianSpansPerSecond(runs), runs.stream()
                            .map(r -> String.format(Locale.ROOT, "%.2f", r.wallMicrosPerSpan()))
                            .collect(Collectors.joining(" / ")));
        }
        int smallest = medians.keySet().stream().min(Comparator.naturalOrder()).orElseThrow();
        int largest = medians.keySet().stream().max(Comparator.naturalOrder()).orElseThrow();
        if (smallest != largest) {
            double[] small = medians.get(smallest);
            double[] large = medians.get(largest);
            ratio("per-span cost " + largest + "/" + smallest + " (wall)", large[0] / small[0], "<= 1.3", -1.3);
            ratio("per-span cost " + largest + "/" + smallest + " (CPU)", large[1] / small[1], "<= 1.3", -1.3);
        }
        freshness(freshness);
        out.println("load average before " + loadBefore + ", after " + Machine.load() + " (" +
                Runtime.getRuntime().availableProcessors() + " cpus)");
    }

    private void freshness(List<FreshnessResult> views) {
        out.println("FRESHNESS (span arrival in Kafka, the broker's LogAppendTime -> counted in the view; tracesift with"
                + " repartition, default configuration; polled every " + FreshnessPhase.POLL_EVERY.toMillis() + " ms)");
        for (FreshnessResult f : views) {
            out.printf(Locale.ROOT, "freshness %-28s probes %d/%d seen within %d s, background %,.0f spans/s, %,d scrapes"
                            + " (mean %.1f ms, max %.1f ms, body up to %,d kB)%n",
                    f.view(), f.seen(), f.probes(), f.timeoutMillis() / 1000, f.backgroundRate(), f.scrapes(),
                    f.scrapeMillisMean(), f.scrapeMillisMax(), f.bodyBytesMax() / 1024);
            out.printf(Locale.ROOT, "freshness %-28s arrival->visible       p50 %s  p95 %s  p99 %s  max %s%n", f.view(),
                    seconds(f, f.percentileMillis(50)), seconds(f, f.percentileMillis(95)),
                    seconds(f, f.percentileMillis(99)), seconds(f, f.percentileMillis(100)));
            out.printf(Locale.ROOT, "freshness %-28s arrival->scrape start  p50 %s  p95 %s  p99 %s  max %s%n", f.view(),
                    seconds(f, f.scrapeStartPercentileMillis(50)), seconds(f, f.scrapeStartPercentileMillis(95)),
                    seconds(f, f.scrapeStartPercentileMillis(99)), seconds(f, f.scrapeStartPercentileMillis(100)));
        }
        for (FreshnessResult f : views) {
            long p99 = f.percentileMillis(99);
            out.printf(Locale.ROOT, "freshness p99 %-28s %s  target <= 1 s: %s%n", f.view(), seconds(f, p99),
                    p99 <= 1000 ? "met" : "MISSED");
        }
    }

    /** A latency in seconds; "> timeout" for a probe that was not seen in time. */
    private static String seconds(FreshnessResult f, long millis) {
        return millis == Long.MAX_VALUE ? String.format(Locale.ROOT, "> %d s", f.timeoutMillis() / 1000)
                : String.format(Locale.ROOT, "%.3f s", millis / 1000.0);
    }

    private void line(PhaseResult r) {
        out.printf(Locale.ROOT, "%-40s %,10.0f spans/s  %,d/%,d spans in %.1f s%s (%,.0f spans/s with %.1f s start-up)"
                        + "  CPU %.2f us/span  decided %s%s%s  peak heap %d MB (after GC %d MB)%n",
                r.name(), r.spansPerSecond(), r.spans(), r.totalSpans(), r.seconds(),
                r.complete() ? "" : " (time budget)", r.wholeRunSpansPerSecond(), r.steady().startSeconds(),
                r.cpuMicrosPerSpan(),
                Double.isNaN(r.decidedSeconds()) ? "-" : String.format(Locale.ROOT, "%.1f s", r.decidedSeconds()),
                Double.isNaN(r.decidedCpuSeconds()) ? ""
                        : String.format(Locale.ROOT, " (CPU %.2f us/span until then, %.2f with the broker)",
                        r.cpuMicrosPerSpanToDecided(), r.cpuWithBrokerMicrosPerSpanToDecided()),
                r.lateSpans() < 0 ? "" : String.format(Locale.ROOT, " (%,d late spans)", r.lateSpans()),
                r.peakHeapBytes() / (1024 * 1024), r.peakHeapAfterGcBytes() / (1024 * 1024));
    }

    /**
     * What the machine's cores could sustain by the work tracesift did per span until every trace was decided (this JVM
     * and the broker), against (a): the committed-offset clock of c/a stops before the decisions of the input's last
     * seconds, and a run whose decisions fell due while it read its input measured half the rate of one whose did not
     * (BENCHMARKS.md, session 27), for the same work. An estimate, no target: it assumes every core busy.
     */
    private void sustainable(String what, List<PhaseResult> runs, double a) {
        double cpu = ThroughputRounds.median(runs, PhaseResult::cpuWithBrokerMicrosPerSpanToDecided);
        int cores = Runtime.getRuntime().availableProcessors();
        double spansPerSecond = cores * 1e6 / cpu;
        out.printf(Locale.ROOT, "ratio %-36s %7.2f, no target: this JVM and the broker %.2f us/span until every trace"
                        + " was decided (median of %d rounds), %,.0f spans/s if the %d cores did nothing else%n",
                what, spansPerSecond / a, cpu, runs.size(), spansPerSecond, cores);
    }

    /** Median CPU us/span of each kind of thread over the runs, and of this JVM and the broker together. */
    private void threadSplit(String kind, List<PhaseResult> runs) {
        if (runs.stream().anyMatch(r -> r.cpuMicrosPerSpanByKind().isEmpty())) {
            out.printf(Locale.ROOT, "cpu by thread %-40s not measured (no /proc)%n", kind);
            return;
        }
        StringBuilder line = new StringBuilder();
        for (String thread : ThreadCpu.KINDS) {
            double median = ThroughputRounds.median(runs,
                    r -> r.cpuMicrosPerSpanByKind().getOrDefault(thread, Double.NaN));
            line.append(String.format(Locale.ROOT, "%s %.2f, ", thread, median));
        }
        double total = ThroughputRounds.median(runs, r -> r.cpuMicrosPerSpan()
                + r.cpuMicrosPerSpanByKind().getOrDefault(ThreadCpu.BROKER, Double.NaN));
        double faults = ThroughputRounds.median(runs, PhaseResult::minorFaultsPerSpan);
        out.printf(Locale.ROOT, "cpu by thread %-40s %sthis JVM and the broker %.2f; page faults of this JVM %.3f/span%n",
                kind, line, total, faults);
    }

    private void changelogs(String kind, List<PhaseResult> runs) {
        List<PhaseResult> sorted = runs.stream().sorted(Comparator.comparingLong(r -> r.changelogs().offsets())).toList();
        PhaseResult median = sorted.get(sorted.size() / 2);
        out.printf(Locale.ROOT, "changelogs %-40s %s%n", kind, median.changelogs().describe(median.totalSpans()));
    }

    /** What share of the span groups took the repartition topic, rather than staying in the task that read them. */
    private void routes(List<PhaseResult> runs) {
        List<String> shares = new ArrayList<>();
        long groups = 0;
        for (PhaseResult run : runs) {
            Map<String, Long> routes = spanGroupRoutes.getOrDefault(run.name(), Map.of());
            long through = routes.getOrDefault("repartition", 0L);
            groups = through + routes.getOrDefault("local", 0L);
            shares.add(String.format(Locale.ROOT, "%.1f %%", groups == 0 ? Double.NaN : 100.0 * through / groups));
        }
        out.printf(Locale.ROOT, "routes tracesift-repartition  span groups through the repartition topic %s of %,d (rounds;"
                        + " the rest were already on their trace's partition: input partitioned by %s, assembly.partitioner"
                        + " the default)%n", String.join(" / ", shares), groups,
                ConfigSection.configName(settings.inputPartitioning()));
    }

    /** @param target positive: the ratio must be at least it; negative: at most its absolute value */
    private void ratio(String what, double value, String targetText, double target) {
        ratio(what, value, targetText, target, value, "");
    }

    /** A ratio and whether {@code judged} (the value, or a bound of it that is surer) meets the target. */
    private void ratio(String what, double value, String targetText, double target, double judged, String note) {
        boolean met = target >= 0 ? judged >= target : judged <= -target;
        out.printf(Locale.ROOT, "ratio %-36s %7.2f  target %s: %s%s%n", what, value, targetText, met ? "met" : "MISSED", note);
    }

    private static int spanCount(ExportTraceServiceRequest request) {
        int n = 0;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                n += scopeSpans.getSpansCount();
            }
        }
        return n;
    }

    /**
     * Notes the first time spans are seen consumed, so that a phase's rate can leave out its start-up: a Kafka Streams
     * application spends about a second joining its group and creating internal topics before its first commit,
     * which is a fixed cost of starting, not of throughput, and a large share of a run of a few seconds.
     */
    private static final class SteadyClock {
        /** A second: a hundred ticks of the process CPU clock, and ten polls of the committed offsets. */
        private static final long MIN_STEADY_NANOS = 1_000_000_000L;

        private final long t0;
        private final ThreadCpu cpu0;
        private final long brokerPid;
        private long t1 = -1;
        private ThreadCpu cpu1;
        private long spans1;

        SteadyClock(long t0, ThreadCpu cpu0, long brokerPid) {
            this.t0 = t0;
            this.cpu0 = cpu0;
            this.brokerPid = brokerPid;
        }

        void observe(long spans) {
            if (t1 < 0 && spans > 0) {
                t1 = System.nanoTime();
                cpu1 = ThreadCpu.now(brokerPid);
                spans1 = spans;
            }
        }

        /**
         * The part after start-up, or the whole run when the first spans were seen only when at least half of them
         * were done or less than {@link #MIN_STEADY_NANOS} before the end: a run so short that start-up is most of it
         * (the tests' tiny inputs) leaves too little steady part to time, and its CPU would round to zero (the
         * process CPU clock ticks in hundredths of a second).
         */
        PhaseResult.Steady until(long end, ThreadCpu cpuEnd, long spans) {
            if (t1 < 0 || 2 * spans1 >= spans || end - t1 < MIN_STEADY_NANOS) {
                return new PhaseResult.Steady(0, spans, (end - t0) / 1e9, (cpuEnd.processNanos() - cpu0.processNanos()) / 1e9,
                        cpuEnd.since(cpu0), cpuEnd.minorFaultsSince(cpu0));
            }
            return new PhaseResult.Steady((t1 - t0) / 1e9, spans - spans1, (end - t1) / 1e9,
                    (cpuEnd.processNanos() - cpu1.processNanos()) / 1e9, cpuEnd.since(cpu1), cpuEnd.minorFaultsSince(cpu1));
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
