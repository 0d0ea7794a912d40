package io.tracesift.app;

import io.tracesift.app.config.InvalidConfigException;
import io.tracesift.app.config.TracesiftConfig;
import io.tracesift.config.ConfigDuration;
import io.tracesift.tenantrouting.TopicNames;
import io.tracesift.workload.GatewayTraceSink;
import io.tracesift.workload.GeneratorRunner;
import io.tracesift.workload.GeneratorSettings;
import io.tracesift.workload.KafkaTraceSink;
import io.tracesift.tenantrouting.Partitioning;
import io.tracesift.workload.TraceSink;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tracesift generate}: multi-agent workflow traces into Kafka or through an OTLP/HTTP endpoint. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate multi-agent workflow traces into Kafka or OTLP/HTTP.",
                "OTLP into Kafka (--bootstrap-servers) or to an OTLP/HTTP endpoint (--gateway). The generator: section"
                        + " of --config sets tenants, error, slow, long-running and huge-trace shares."})
final class GenerateCommand implements Callable<Integer> {

    private final Map<String, String> environment;

    @Mixin
    WorkloadOptions options;

    @Option(names = "--gateway", paramLabel = "URL",
            description = "Send through this OTLP/HTTP endpoint instead of Kafka, e.g. http://127.0.0.1:4318/v1/traces.")
    URI gateway;

    @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = TopicNames.INPUT,
            description = "Topic written with --bootstrap-servers (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--rate", paramLabel = "WORKFLOWS_PER_SECOND", description = "Workflows per second (generator.rate).")
    Double rate;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (generator.seed); the same seed and start time give the same traces.")
    Long seed;

    @Option(names = "--traces", paramLabel = "N", description = "Stop after N workflows (generator.traces; 0 = no end).")
    Long traces;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long, e.g. 60s or 10m.")
    String duration;

    @Option(names = "--as-fast-as-possible", description = "Ignore the timeline and send as fast as the sink takes it.")
    boolean fast;

    GenerateCommand() {
        this(System.getenv());
    }

    GenerateCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        TracesiftConfig configuration = options.load(environment);
        List<String> problems = new ArrayList<>(configuration.problems());
        GeneratorSettings settings = GeneratorSettings.fromConfig(configuration.section(GeneratorSettings.SECTION), problems);
        Map<String, Object> kafka = gateway == null ? WorkloadOptions.kafka(configuration, problems) : Map.of();
        Duration maxDuration = duration == null ? null : duration(problems);
        if (problems.isEmpty() && settings != null) {
            try {
                settings = settings.withRate(rate != null ? rate : settings.tracesPerSecond())
                        .withSeed(seed != null ? seed : settings.seed())
                        .withTraceCount(traces != null ? traces : settings.traceCount());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        GeneratorRunner.Options run = (fast ? GeneratorRunner.Options.asFastAsPossible() : GeneratorRunner.Options.realTime())
                .withMaxDuration(maxDuration);
        PrintStream out = System.out;
        out.println("Generating " + settings.tracesPerSecond() + " workflows/s for " + settings.tenants() + " (seed "
                + settings.seed() + ") to " + (gateway != null ? gateway : topic + " at " + kafka.get("bootstrap.servers")));
        long[] lastReport = {System.nanoTime()};
        Thread main = Thread.currentThread();
        Thread interrupt = new Thread(main::interrupt, "tracesift-generate-stop");
        Runtime.getRuntime().addShutdownHook(interrupt);
        GeneratorRunner.Progress done;
        try (TraceSink sink = gateway != null ? new GatewayTraceSink(gateway, DemoCommand.TENANT_HEADER)
                : new KafkaTraceSink(kafka, topic, DemoCommand.TENANT_HEADER, Partitioning.SARAMA_FNV1A)) {
            done = GeneratorRunner.run(settings, sink, run, progress -> {
                if (System.nanoTime() - lastReport[0] >= 5_000_000_000L) {
                    lastReport[0] = System.nanoTime();
                    out.printf("%d workflows, %d spans, %.0f spans/s, %d failed batches%n", progress.workflows(),
                            progress.spans(), progress.spansPerSecond(), progress.failedBatches());
                }
            });
        }
        try {
            Runtime.getRuntime().removeShutdownHook(interrupt);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook interrupted the run, which flushed the sink above
        }
        out.printf("Done: %d workflows, %d spans, %d bytes in %.1f s, %d failed batches%n", done.workflows(), done.spans(),
                done.bytes(), done.elapsed().toMillis() / 1000.0, done.failedBatches());
        return done.failedBatches() == 0 ? Tracesift.EXIT_OK : Tracesift.EXIT_FAILURE;
    }

    private Duration duration(List<String> problems) {
        Duration parsed = ConfigDuration.parse(duration).filter(d -> !d.isZero()).orElse(null);
        if (parsed == null) {
            problems.add("--duration: '" + duration + "' is not a duration longer than zero; " + ConfigDuration.HELP);
        }
        return parsed;
    }
}
