package io.tracesift.app;

import io.tracesift.app.config.AppSettings;
import io.tracesift.app.config.CommandLineSettings;
import io.tracesift.app.config.CommandLineSettings.Setting;
import io.tracesift.app.config.InvalidConfigException;
import io.tracesift.app.config.TracesiftConfig;
import io.tracesift.tenantrouting.TenantTopicSpec;
import io.tracesift.query.QuerySettings;
import io.tracesift.topology.NativeAllocator;
import io.tracesift.topology.TopologySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tracesift run}: the pipeline against a real Kafka cluster. */
@Command(name = "run", mixinStandardHelpOptions = true, description = {"Run the pipeline against a Kafka cluster.",
                "Validates the whole configuration first and reports every problem at once."},
        sortOptions = false)
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    private final Map<String, String> environment;

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka cluster, HOST:PORT[,HOST:PORT...] (env TRACESIFT_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (env TRACESIFT_CONFIG).")
    Path config;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port for /metrics, /healthz, /readyz and the query API (/api/, the trace view at /); 0 picks a free one (env TRACESIFT_HTTP_PORT; default 8080).")
    String httpPort;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Kafka Streams state directory (env TRACESIFT_STATE_DIR; default ./.tracesift/state).")
    String stateDir;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id; instances sharing it share the work (env TRACESIFT_APPLICATION_ID;"
                    + " default tracesift).")
    String applicationId;

    RunCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        TracesiftConfig configuration = TracesiftConfig.load(commandLineSettings(), environment);
        List<String> problems = new ArrayList<>(configuration.problems());
        AppSettings settings = AppSettings.fromConfig(configuration, problems);
        TopologySettings topology = TopologySettings.fromConfig(configuration.root(), problems);
        TenantTopicSpec topicSpec = TenantTopicSpec.fromConfig(configuration.section("tenancy"), problems);
        QuerySettings query = QuerySettings.fromConfig(configuration.section("query"), problems);
        if (settings != null) {
            try {
                Pipeline.advertised(settings.kafkaProperties(), 0);
            } catch (ConfigException e) {
                problems.add("kafka.application.server: '" + settings.kafkaProperties().get("application.server")
                        + "' is not host:port; give how other instances reach this one's HTTP port, e.g. 10.0.3.7:8080"
                        + " (default " + Pipeline.DEFAULT_ADVERTISED_HOST + ":<http-port>)");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        LOG.info("configuration valid: bootstrap-servers={} application-id={} state-dir={} http-port={} kafka properties={}",
                settings.bootstrapServers(), settings.applicationId(), settings.stateDir(), settings.httpPort(),
                settings.kafkaProperties().keySet());
        Map<String, String> environment = System.getenv();
        if (NativeAllocator.arenasAtDefault(environment)) {
            LOG.warn("{}: with glibc's malloc, RocksDB's freed memtables go back to the kernel and are faulted in "
                    + "again, up to a sixth of the pipeline's CPU; start with {} (./tracesift and the Helm chart do)",
                    NativeAllocator.describe(environment), NativeAllocator.advice());
        } else {
            LOG.info("{}", NativeAllocator.describe(environment));
        }

        Pipeline pipeline = Pipeline.start(settings, topology, topicSpec, query, false);
        // SIGTERM and Ctrl-C: Kafka Streams commits and leaves the group before the JVM exits.
        Thread shutdown = new Thread(pipeline::close, "tracesift-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        pipeline.awaitEnd();
        if (pipeline.failure() == null) {
            return Tracesift.EXIT_OK;
        }
        Runtime.getRuntime().removeShutdownHook(shutdown);
        pipeline.close();
        spec.commandLine().getErr().println("tracesift run: the pipeline failed: " + pipeline.failure().getMessage());
        return Tracesift.EXIT_FAILURE;
    }

    private CommandLineSettings commandLineSettings() {
        Map<String, Setting> settings = new LinkedHashMap<>();
        put(settings, AppSettings.BOOTSTRAP_SERVERS, "--bootstrap-servers", bootstrapServers);
        put(settings, AppSettings.HTTP_PORT, "--http-port", httpPort);
        put(settings, AppSettings.STATE_DIR, "--state-dir", stateDir);
        put(settings, AppSettings.APPLICATION_ID, "--application-id", applicationId);
        return new CommandLineSettings(config, settings);
    }

    private static void put(Map<String, Setting> settings, String key, String option, String value) {
        if (value != null) {
            settings.put(key, new Setting(option, value));
        }
    }
}
