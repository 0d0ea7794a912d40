package io.tracesift.app;

import io.tracesift.app.config.CommandLineSettings;
import io.tracesift.app.config.TracesiftConfig;
import io.tracesift.bench.BenchSettings;
import io.tracesift.bench.Benchmark;
import io.tracesift.bench.InputGrouping;
import io.tracesift.config.ConfigSection;
import io.tracesift.tenantrouting.Partitioning;
import io.tracesift.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tracesift bench}: the throughput benchmark of BENCHMARKS.md on a local broker it starts and stops. */
@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true, subcommands = QueryBenchCommand.class,
        description = {"Benchmarks on a local broker, each target printed MET or MISSED.",
                "Plain decoding consumer vs the textbook session-window topology vs tracesift (with and without"
                        + " repartition), per-span cost by trace size, peak heap, freshness of /metrics."})
final class BenchCommand implements Callable<Integer> {
    /** The sections of a configuration file that tracesift's topology reads; the others do not apply to the bench. */
    private static final List<String> TOPOLOGY_SECTIONS = List.of("topics", "input", "assembly", "output", "tenancy",
            "redaction", "flags", "sampling", "metrics");

    @Spec
    CommandSpec spec;

    @Option(names = "--spans", paramLabel = "N", defaultValue = "1000000",
            description = "Approximate spans of the main input, whole generated workflows (default ${DEFAULT-VALUE}).")
    long spans;

    @Option(names = "--size-spans", paramLabel = "N", defaultValue = "300000",
            description = "Approximate spans of each input of traces of 10, 100 and 1,000 spans (default ${DEFAULT-VALUE}).")
    long sizeSpans;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
            description = "Partitions of the input topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Workflow generator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--grouping", paramLabel = "workflow|service", defaultValue = "service",
            description = "Records of the main input: one per trace per service export, as services' SDKs deliver"
                    + " them (service), or whole-workflow batches as in runs 1 to 3 (workflow) (default ${DEFAULT-VALUE}).")
    String grouping;

    @Option(names = "--input-partitioner", paramLabel = "sarama-fnv1a|kafka-murmur2", defaultValue = "sarama-fnv1a",
            description = "How the inputs' records, keyed by hex trace id, are spread over partitions: as the"
                    + " Collector's exporter (sarama-fnv1a, tracesift's default assembly.partitioner) or the Java client"
                    + " (kafka-murmur2, so that most span groups cross the repartition topic) (default ${DEFAULT-VALUE}).")
    String inputPartitioner;

    @Option(names = "--naive-seconds", paramLabel = "S", defaultValue = "90",
            description = "Time budget of the textbook topology, measured over what it committed (default ${DEFAULT-VALUE}).")
    long naiveSeconds;

    @Option(names = "--probes", paramLabel = "N", defaultValue = "200",
            description = "Probe spans of the freshness phase: arrival in Kafka to visible on /metrics (default ${DEFAULT-VALUE}).")
    int probes;

    @Option(names = "--background-rate", paramLabel = "SPANS_PER_SECOND", defaultValue = "2000",
            description = "Generated spans/s written while the freshness probes run (default ${DEFAULT-VALUE}).")
    int backgroundRate;

    @Option(names = "--streams", paramLabel = "KEY=VALUE",
            description = "A Kafka Streams property for every Streams phase, naive and tracesift alike, e.g."
                    + " commit.interval.ms=500 (repeatable).")
    Map<String, String> streams = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "A tracesift configuration file (YAML, as run and demo read it) under every tracesift run but"
                    + " the freshness phase's, e.g. a sampling section; the bench sets topics.input,"
                    + " assembly.skip-repartition and metrics.enabled itself (default: tracesift's defaults).")
    Path config;

    @Mixin
    BenchFolder folder;

    @Override
    public Integer call() throws Exception {
        if (naiveSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--naive-seconds must be at least 1");
        }
        Map<String, Object> tracesiftConfig = tracesiftConfig();
        BenchSettings settings = folder.settings(spec, "tracesift-bench", runFolder -> new BenchSettings(spans, sizeSpans,
                List.of(10, 100, 1000), partitions, seed,
                InputGrouping.parse(grouping), partitioning(), Duration.ofSeconds(naiveSeconds), runFolder, probes,
                backgroundRate, streams, tracesiftConfig));
        Logging.hideConnectionWarnings();
        return Benchmark.run(settings, System.out);
    }

    /** The file's tree, checked as tracesift's topology reads it before any phase runs; empty without --config. */
    private Map<String, Object> tracesiftConfig() {
        if (config == null) {
            return Map.of();
        }
        TracesiftConfig file = TracesiftConfig.load(new CommandLineSettings(config, Map.of()), Map.of());
        Map<String, Object> tree = new LinkedHashMap<>();
        for (String section : TOPOLOGY_SECTIONS) {
            if (file.root().containsKey(section)) {
                tree.put(section, file.root().get(section));
            }
        }
        List<String> problems = new ArrayList<>(file.problems());
        TopologySettings.fromConfig(tree, problems);
        if (!problems.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--config " + config + ": " + String.join("; ", problems));
        }
        return tree;
    }

    private Partitioning partitioning() {
        for (Partitioning p : Partitioning.values()) {
            if (ConfigSection.configName(p).equals(inputPartitioner)) {
                return p;
            }
        }
        throw new ParameterException(spec.commandLine(), "--input-partitioner " + inputPartitioner
                + " is not a partitioner; use sarama-fnv1a or kafka-murmur2");
    }
}
