package io.tracesift.app.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the command line said: the configuration file, if named, and settings given as options,
 * keyed by their configuration name (e.g. "http-port") with the option spelling for messages.
 */
public record CommandLineSettings(Path configFile, Map<String, Setting> settings) {

    /** One option's value and how the user spelled it (e.g. "--http-port"). */
    public record Setting(String option, String value) {
    }

    public CommandLineSettings {
        settings = Map.copyOf(settings);
    }

    public static CommandLineSettings none() {
        return new CommandLineSettings(null, Map.of());
    }
}
