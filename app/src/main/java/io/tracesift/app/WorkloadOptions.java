package io.tracesift.app;

import io.tracesift.app.config.AppSettings;
import io.tracesift.app.config.CommandLineSettings;
import io.tracesift.app.config.CommandLineSettings.Setting;
import io.tracesift.app.config.TracesiftConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** What {@code generate} and {@code gateway} share with {@code run}: the cluster and the configuration file. */
final class WorkloadOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka cluster, HOST:PORT[,HOST:PORT...] (env TRACESIFT_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration file: its kafka: properties and this command's section (env TRACESIFT_CONFIG).")
    Path config;

    /** The merged configuration (file, environment, --bootstrap-servers). */
    TracesiftConfig load(Map<String, String> environment) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            settings.put(AppSettings.BOOTSTRAP_SERVERS, new Setting("--bootstrap-servers", bootstrapServers));
        }
        return TracesiftConfig.load(new CommandLineSettings(config, settings), environment);
    }

    /** Kafka client properties: the {@code kafka:} section plus {@code bootstrap.servers}; problems appended. */
    static Map<String, Object> kafka(TracesiftConfig configuration, List<String> problems) {
        AppSettings app = AppSettings.fromConfig(configuration, problems);
        return app == null ? Map.of() : new HashMap<>(app.kafkaProperties());
    }
}
