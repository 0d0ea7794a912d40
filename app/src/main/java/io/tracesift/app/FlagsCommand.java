package io.tracesift.app;

import io.tracesift.app.config.AppSettings;
import io.tracesift.app.config.CommandLineSettings;
import io.tracesift.app.config.CommandLineSettings.Setting;
import io.tracesift.app.config.InvalidConfigException;
import io.tracesift.app.config.TracesiftConfig;
import io.tracesift.tenantrouting.FlagRules;
import io.tracesift.tenantrouting.TenantId;
import io.tracesift.tenantrouting.TenantTopicSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tracesift flags set|unset|list}: the per-service rollout flag {@value FlagRules#FLAG} in the compacted
 * {@code tracesift-flags} topic. Running pipelines pick a change up within seconds, without restart.
 */
@Command(name = "flags", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "(set | unset | list)",
        description = {"Turn the observability rollout flag on or off per service.",
                "The flag " + FlagRules.FLAG + ", kept in the topic tracesift-flags."},
        subcommands = {FlagsCommand.Set.class, FlagsCommand.Unset.class, FlagsCommand.ListFlags.class})
final class FlagsCommand implements Runnable {

    private final Map<String, String> environment;

    @Spec
    CommandSpec spec;

    FlagsCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: choose one of set, unset, list.");
    }

    /** Options every flags subcommand takes. */
    static final class Connection {
        @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
                description = "Kafka cluster (env TRACESIFT_BOOTSTRAP_SERVERS).")
        String bootstrapServers;

        @Option(names = "--config", paramLabel = "FILE",
                description = "YAML configuration file: kafka: (SASL/TLS), flags: (topic, default) (env TRACESIFT_CONFIG).")
        Path config;

        @Option(names = "--tenant", paramLabel = "TENANT",
                description = "Scope the key to one tenant (TENANT/KEY); for list, show only the keys that apply to it.")
        String tenant;
    }

    /** What every flags subcommand has: the parent (for the environment), its own spec and the connection options. */
    abstract static class Subcommand {
        @ParentCommand
        FlagsCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        FlagsTopic open() {
            CommandLineSettings options = new CommandLineSettings(connection.config, connection.bootstrapServers == null
                    ? Map.of() : Map.of(AppSettings.BOOTSTRAP_SERVERS, new Setting("--bootstrap-servers", connection.bootstrapServers)));
            TracesiftConfig configuration = TracesiftConfig.load(options, parent.environment);
            List<String> problems = new ArrayList<>(configuration.problems());
            AppSettings app = AppSettings.fromConfig(configuration, problems);
            FlagRules flags = FlagRules.fromConfig(configuration.section("flags"), problems);
            TenantTopicSpec topicSpec = TenantTopicSpec.fromConfig(configuration.section("tenancy"), problems);
            if (connection.tenant != null && !TenantId.isValid(connection.tenant)) {
                problems.add("--tenant: " + connection.tenant + " is not a valid tenant id; " + TenantId.RULE);
            }
            if (!problems.isEmpty()) {
                throw new InvalidConfigException(problems);
            }
            return new FlagsTopic(app.kafkaProperties(), flags, topicSpec);
        }

        /** The record key: {@code KEY}, or {@code TENANT/KEY} with --tenant; a key that cannot be a flag is a usage error. */
        String fullKey(String key) {
            String full = connection.tenant == null ? key : connection.tenant + "/" + key;
            if (connection.tenant != null && key.contains("/")) {
                throw new ParameterException(spec.commandLine(), "KEY " + key + " already names a tenant; drop --tenant or the TENANT/ part");
            }
            Optional<String> problem = FlagRules.keyProblem(full);
            if (problem.isPresent()) {
                throw new ParameterException(spec.commandLine(), "Invalid flag key: " + problem.get());
            }
            return full;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set the flag for a service (checkout), a tenant's service (acme/checkout) or a rollout phase (core-api-*).")
    static final class Set extends Subcommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KEY", description = "service, tenant/service or glob (* any run, ? one character)")
        String key;

        @Parameters(index = "1", paramLabel = "on|off", description = "on (spans are let in) or off (dropped at ingest)")
        String state;

        @Override
        public Integer call() {
            boolean enabled = switch (state.toLowerCase(Locale.ROOT)) {
                case "on", "true" -> true;
                case "off", "false" -> false;
                default -> throw new ParameterException(spec.commandLine(), "Invalid state '" + state + "': use on or off");
            };
            String fullKey = fullKey(key);
            try (FlagsTopic flags = open()) {
                flags.write(fullKey, enabled);
                spec.commandLine().getOut().println(fullKey + " " + (enabled ? "on" : "off") + " (written to " + flags.topic() + ")");
            }
            return Tracesift.EXIT_OK;
        }
    }

    @Command(name = "unset", mixinStandardHelpOptions = true,
            description = "Remove a key (writes a tombstone); services it matched fall back to a less specific key or the default.")
    static final class Unset extends Subcommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() {
            String fullKey = fullKey(key);
            try (FlagsTopic flags = open()) {
                flags.write(fullKey, null);
                spec.commandLine().getOut().println(fullKey + " removed (tombstone written to " + flags.topic() + ")");
            }
            return Tracesift.EXIT_OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Read the flags topic to its end and print the effective table, most specific rule first per kind.")
    static final class ListFlags extends Subcommand implements Callable<Integer> {
        @Override
        public Integer call() {
            FlagRules rules;
            try (FlagsTopic flags = open()) {
                rules = flags.read();
            }
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Boolean> entries = rules.entries();
            int width = Math.max(3, entries.keySet().stream().mapToInt(String::length).max().orElse(0));
            out.printf("%-" + width + "s  %s%n", "KEY", FlagRules.FLAG);
            entries.forEach((key, enabled) -> {
                if (connection.tenant == null || !key.contains("/") || key.startsWith(connection.tenant + "/")) {
                    out.printf("%-" + width + "s  %s%n", key, enabled ? "on" : "off");
                }
            });
            out.println("(any other service: " + (rules.defaultEnabled() ? "on" : "off") + ", flags.default-enabled)");
            return Tracesift.EXIT_OK;
        }
    }
}
