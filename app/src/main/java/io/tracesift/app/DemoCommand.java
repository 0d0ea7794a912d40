package io.tracesift.app;

import io.tracesift.app.config.AppSettings;
import io.tracesift.app.config.CommandLineSettings;
import io.tracesift.app.config.CommandLineSettings.Setting;
import io.tracesift.app.config.InvalidConfigException;
import io.tracesift.app.config.TracesiftConfig;
import io.tracesift.kafkalocal.BrokerSettings;
import io.tracesift.kafkalocal.LocalKafkaBroker;
import io.tracesift.kafkalocal.Topics;
import io.tracesift.query.QuerySettings;
import io.tracesift.tenantrouting.TenantTopicSpec;
import io.tracesift.topology.TopologySettings;
import io.tracesift.workload.GatewaySettings;
import io.tracesift.workload.GeneratorRunner;
import io.tracesift.workload.GeneratorSettings;
import io.tracesift.workload.KafkaTraceSink;
import io.tracesift.workload.OtlpGateway;
import io.tracesift.tenantrouting.Partitioning;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tracesift demo}: a local broker (or a configured cluster), the pipeline exactly as {@code run} starts it,
 * the OTLP gateway and the workflow generator, with a progress line until Ctrl-C or SIGTERM.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"One-command demo on this machine, until Ctrl-C.",
                "A local Kafka broker, the pipeline, the OTLP gateway, the workflow generator and the trace view."})
final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    static final String TENANT_HEADER = "X-Scope-OrgID";
    private static final int TOPIC_PARTITIONS = 3;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** Bounds of the stop's steps; the broker's own (15 s, 60 s while it records its class archive) comes last. */
    private static final Duration GENERATOR_STOP = Duration.ofSeconds(10);
    private static final Duration PIPELINE_CLOSE = Duration.ofSeconds(30);
    private static final Duration GATEWAY_STOP = Duration.ofSeconds(15);

    private final Map<String, String> environment;

    @Spec
    CommandSpec spec;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of the trace view, query API and /metrics; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".tracesift/demo",
            description = "Folder for the broker's data, the pipeline's state, the demo's API keys and logs; kept for"
                    + " the next run (default ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--rate", paramLabel = "WORKFLOWS_PER_SECOND",
            description = "Generated workflows per second, about 20 spans each (default 5; 0 generates nothing).")
    Double rate;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Use this Kafka cluster instead of starting a local broker.")
    String bootstrapServers;

    @Option(names = "--broker-port", paramLabel = "PORT", defaultValue = "9092",
            description = "Port of the local broker; a free one is chosen when it is taken (default ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(names = "--gateway-port", paramLabel = "PORT",
            description = "Port of the OTLP/HTTP gateway; a free one is chosen when it is taken (default 4318).")
    Integer gatewayPort;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Your own configuration instead of the demo's (start from DIR/demo.yaml).")
    Path config;

    DemoCommand() {
        this(System.getenv());
    }

    DemoCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        PortOption.check(spec, "--http-port", httpPort);
        PortOption.check(spec, "--broker-port", brokerPort);
        if (gatewayPort != null) {
            PortOption.check(spec, "--gateway-port", gatewayPort);
        }
        if (rate != null && !(rate >= 0)) {
            throw new ParameterException(spec.commandLine(), "--rate " + rate + " is not a rate; give workflows per second, 0 or more");
        }
        PrintStream out = System.out;
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("tracesift.log");
        // Log4j follows System.err: the logs go to a file, the terminal keeps the URLs and the progress line.
        PrintStream console = System.err;
        System.setErr(new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8));
        Logging.hideConnectionWarnings();
        Logging.streamsLifecycle();
        out.println("tracesift demo: logs in " + log + ", data in " + dataDir.toAbsolutePath());
        Demo demo = new Demo();
        Thread shutdown = new Thread(() -> demo.stop(out), "tracesift-demo-stop");
        Runtime.getRuntime().addShutdownHook(shutdown);
        try {
            demo.start(out);
            demo.report(out);
        } catch (RuntimeException | Error e) {
            Runtime.getRuntime().removeShutdownHook(shutdown);
            demo.stop(out);
            System.setErr(console);
            throw e;
        }
        if (demo.pipeline.failure() == null) {
            return Tracesift.EXIT_OK;
        }
        Runtime.getRuntime().removeShutdownHook(shutdown);
        demo.stop(out);
        console.println("tracesift demo: the pipeline failed: " + demo.pipeline.failure().getMessage() + " (see " + log + ")");
        return Tracesift.EXIT_FAILURE;
    }

    /** The running parts, stopped in reverse order of their start. */
    private final class Demo {
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile boolean stopping;
        private LocalKafkaBroker broker;
        private Pipeline pipeline;
        private OtlpGateway gateway;
        private Thread generator;
        private Path keysFile;
        private final long startedAt = System.nanoTime();

        void start(PrintStream out) throws IOException {
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                int port = brokerPort;
                if (port != 0 && !free("127.0.0.1", port)) {
                    out.println("Port " + port + " is taken: the local broker uses a free port instead.");
                    port = 0;
                }
                out.println("Starting a local Kafka broker (data in " + dataDir.resolve("kafka") + ")...");
                broker = LocalKafkaBroker.start(BrokerSettings.of(port, dataDir.resolve("kafka")));
                // The broker stops last, in stop(): its own shutdown hook would stop it under the pipeline's last commit.
                broker.stopOnlyWhenClosed();
                bootstrap = broker.bootstrapServers();
                out.println("Kafka broker ready at " + bootstrap + " (pid " + broker.pid() + ")");
            }

            Path configFile = config != null ? config : writeDemoConfig();
            Map<String, Setting> options = new LinkedHashMap<>();
            options.put(AppSettings.BOOTSTRAP_SERVERS, new Setting(bootstrapServers != null ? "--bootstrap-servers" : "(local broker)", bootstrap));
            options.put(AppSettings.HTTP_PORT, new Setting("--http-port", Integer.toString(httpPort)));
            options.put(AppSettings.STATE_DIR, new Setting("--data-dir", dataDir.resolve("state").toString()));
            TracesiftConfig configuration = TracesiftConfig.load(new CommandLineSettings(configFile, options), environment);
            List<String> problems = new ArrayList<>(configuration.problems());
            AppSettings app = AppSettings.fromConfig(configuration, problems);
            TopologySettings topology = TopologySettings.fromConfig(configuration.root(), problems);
            TenantTopicSpec topicSpec = TenantTopicSpec.fromConfig(configuration.section("tenancy"), problems);
            QuerySettings query = QuerySettings.fromConfig(configuration.section("query"), problems);
            GeneratorSettings workload = GeneratorSettings.fromConfig(configuration.section(GeneratorSettings.SECTION), problems);
            Map<String, Object> kafka = app == null ? Map.of() : new HashMap<>(app.kafkaProperties());
            GatewaySettings gatewaySettings = GatewaySettings.fromConfig(configuration.section(GatewaySettings.SECTION), kafka, problems);
            if (!problems.isEmpty()) {
                throw new InvalidConfigException(problems);
            }

            try (Admin admin = Admin.create(kafka)) {
                Topics.create(admin, TOPIC_PARTITIONS, topology.inputTopic(), topology.dlqTopic());
            }
            // Hanging transactions are aborted only on the demo's own broker; on a cluster given by
            // --bootstrap-servers they are named, with the command that aborts them, as by `run`.
            pipeline = Pipeline.start(app, topology, topicSpec, query, broker != null);
            pipeline.firstRunning().thenRun(() -> {
                out.printf("Pipeline RUNNING %.1f s after the start%n", (System.nanoTime() - startedAt) / 1e9);
                out.flush();
            });

            int wantedGatewayPort = gatewayPort != null ? gatewayPort : gatewaySettings.port();
            if (wantedGatewayPort != 0 && !free(gatewaySettings.host(), wantedGatewayPort)) {
                out.println("Port " + wantedGatewayPort + " is taken: the OTLP gateway uses a free port instead.");
                wantedGatewayPort = 0;
            }
            gateway = OtlpGateway.start(gatewaySettings.withPort(wantedGatewayPort).withTopic(topology.inputTopic(), 0));

            GeneratorSettings generatorSettings = null;
            if (rate == null || rate > 0) {
                // A new seed per run: the same seed would repeat trace ids, which would follow the last run's decisions.
                GeneratorSettings settings = (rate != null ? workload.withRate(rate) : workload)
                        .withSeed(new SecureRandom().nextLong());
                generator = new Thread(() -> generate(settings, kafka, topology.inputTopic()), "tracesift-demo-generator");
                generator.start();
                generatorSettings = settings;
            }
            printUrls(out, generatorSettings, Duration.ofNanos(System.nanoTime() - startedAt));
        }

        private void generate(GeneratorSettings settings, Map<String, Object> kafka, String topic) {
            try (KafkaTraceSink sink = new KafkaTraceSink(kafka, topic, TENANT_HEADER, Partitioning.SARAMA_FNV1A)) {
                GeneratorRunner.run(settings, sink, GeneratorRunner.Options.realTime(), progress -> { });
                // The stop's interrupt ended the run; cleared, so that the producer still sends what it holds on close.
                Thread.interrupted();
            } catch (RuntimeException e) {
                if (!stopping) {
                    LOG.error("the workflow generator stopped", e);
                }
            }
        }

        private void printUrls(PrintStream out, GeneratorSettings workload, Duration startup) {
            String http = "http://127.0.0.1:" + pipeline.httpPort();
            out.println();
            out.printf("tracesift demo running (started in %.1f s)%n", startup.toMillis() / 1000.0);
            out.println("  Trace view        " + http + "/");
            out.println("  Jaeger query API  " + http + "/api/services   (Authorization: Bearer <key>)");
            out.println("  Prometheus        " + http + "/metrics");
            out.println("  Health            " + http + "/healthz  " + http + "/readyz");
            out.println("  OTLP/HTTP gateway " + gateway.endpoint() + "   (header " + TENANT_HEADER + ": <tenant>)");
            out.println("     e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:" + gateway.port()
                    + " OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_EXPORTER_OTLP_HEADERS=" + TENANT_HEADER + "=acme");
            if (keysFile != null) {
                out.println("  API keys (" + keysFile + "), paste one into the trace view:");
                readKeys(keysFile).forEach((key, tenant) -> out.println("     " + (tenant.equals("*")
                        ? "operator (any tenant, name it in " + TENANT_HEADER + ")" : "tenant " + tenant) + ": " + key));
            } else {
                out.println("  API keys: as configured in " + config + " (query.api-keys / query.api-keys-file)");
            }
            out.println("  Grafana: add a Jaeger data source with URL " + http
                    + " and the HTTP header Authorization = Bearer <key>;");
            out.println("           add a Prometheus data source that reads a Prometheus scraping " + http + "/metrics.");
            if (workload != null) {
                out.printf("  Generator: %s workflows/s for tenants %s, %.0f %% errors, %.0f %% slow, %.0f %% long-running"
                                + " (%s compressed %.0fx), seed %d%n", trim(workload.tracesPerSecond()), workload.tenants(),
                        workload.errorRate() * 100, workload.slowRate() * 100, workload.longRunningRate() * 100,
                        workload.longRunningDuration(), workload.timeCompression(), workload.seed());
            } else {
                out.println("  Generator: off (--rate 0); send your own spans to the gateway.");
            }
            out.println("Kept traces appear in the trace view within about 30 s. Ctrl-C stops everything.");
            out.println();
            out.flush();
        }

        /** Prints the progress line until the pipeline ends (a failure, or the stop at Ctrl-C). */
        void report(PrintStream out) throws InterruptedException {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI metrics = URI.create("http://127.0.0.1:" + pipeline.httpPort() + "/metrics");
            DemoMetrics previous = null;
            // Tenants seen so far: a tenant's series are briefly absent from /metrics while its tasks move.
            Set<String> tenants = new TreeSet<>();
            long previousAt = System.nanoTime();
            long reportFrom = previousAt;
            while (!pipeline.awaitEnd(PROGRESS_EVERY) && !stopping) {
                try {
                    String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    DemoMetrics now = DemoMetrics.parse(body);
                    tenants.addAll(now.tenants());
                    long at = System.nanoTime();
                    if (!stopping) {
                        // Until it runs, the pipeline's state says why nothing moves (e.g. REBALANCING: restoring).
                        State state = pipeline.state();
                        out.printf("[%s] %s%s%n", elapsed(at - reportFrom), state == State.RUNNING ? "" : "pipeline " + state + " | ",
                                now.progressLine(previous, (at - previousAt) / 1e9, tenants.size(),
                                        gateway.counters().acceptedSpans()));
                        out.flush();
                    }
                    previous = now;
                    previousAt = at;
                } catch (IOException e) {
                    LOG.warn("cannot read {} for the progress line", metrics, e);
                }
            }
            stopped.await();
        }

        /**
         * Stops everything in dependency order, each step bounded: the generator, then the gateway and the pipeline
         * (a clean close commits, records its stores' offsets so that the next start restores nothing, and leaves
         * the consumer group so that the next start is not kept waiting for this member), the broker last.
         */
        synchronized void stop(PrintStream out) {
            if (stopped.getCount() == 0) {
                return;
            }
            stopping = true;
            out.println("Stopping the demo...");
            out.flush();
            long stoppingAt = System.nanoTime();
            try {
                if (generator != null) {
                    generator.interrupt();
                    generator.join(GENERATOR_STOP.toMillis());
                    LOG.info("workflow generator stopped{}", generator.isAlive() ? " (still closing its producer)" : "");
                }
                // The pipeline does not depend on the gateway, whose HTTP server takes its whole grace period to stop
                // on Java 17: both close at once, and both before the broker.
                Thread gatewayStop = null;
                if (gateway != null) {
                    gatewayStop = new Thread(gateway::close, "tracesift-demo-gateway-stop");
                    gatewayStop.start();
                }
                if (pipeline != null) {
                    pipeline.close(PIPELINE_CLOSE);
                }
                if (gatewayStop != null) {
                    gatewayStop.join(GATEWAY_STOP.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("stopping the demo", e);
            } finally {
                if (broker != null) {
                    broker.close();
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppingAt);
                LOG.info("demo stopped in {} ms", ms);
                out.printf("Demo stopped in %.1f s%s.%n", ms / 1000.0,
                        broker != null ? " (broker stopped; data kept in " + dataDir + ")" : "");
                out.flush();
                stopped.countDown();
            }
        }

        /**
         * Writes DIR/demo.yaml and, once, DIR/api-keys.properties with one random key per demo tenant and
         * DIR/group-instance-id, the pipeline's static group membership, random so that demos on other folders or
         * machines sharing a cluster do not fence each other.
         */
        private Path writeDemoConfig() throws IOException {
            keysFile = dataDir.resolve("api-keys.properties").toAbsolutePath();
            String template;
            try (InputStream in = DemoCommand.class.getResourceAsStream("demo.yaml")) {
                template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!Files.exists(keysFile)) {
                SecureRandom random = new SecureRandom();
                StringBuilder keys = new StringBuilder("# tracesift demo API keys: key=tenant (\"*\" = operator)\n");
                for (String tenant : List.of("acme", "globex", "initech", "*")) {
                    byte[] bytes = new byte[12];
                    random.nextBytes(bytes);
                    keys.append("demo-").append(tenant.equals("*") ? "ops" : tenant).append('-')
                            .append(HexFormat.of().formatHex(bytes)).append('=').append(tenant)
                            .append('\n');
                }
                Files.writeString(keysFile, keys.toString());
            }
            Path instanceFile = dataDir.resolve("group-instance-id");
            if (!Files.exists(instanceFile)) {
                byte[] bytes = new byte[6];
                new SecureRandom().nextBytes(bytes);
                Files.writeString(instanceFile, "tracesift-demo-" + HexFormat.of().formatHex(bytes) + "\n");
            }
            Path file = dataDir.resolve("demo.yaml");
            Files.writeString(file, template
                    .replace("${API_KEYS_FILE}", "\"" + keysFile.toString().replace("\\", "/") + "\"")
                    .replace("${GROUP_INSTANCE_ID}", Files.readString(instanceFile).trim()));
            return file;
        }
    }

    private static Map<String, String> readKeys(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted().forEach(key -> keys.put(key, properties.getProperty(key)));
        return keys;
    }

    private static boolean free(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String elapsed(long nanos) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(nanos);
        return String.format("%02d:%02d", seconds / 60, seconds % 60);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
