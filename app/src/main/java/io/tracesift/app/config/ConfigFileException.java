package io.tracesift.app.config;

import java.nio.file.Path;

/** The configuration file could not be read or parsed at all; names the file and the reason. */
public final class ConfigFileException extends RuntimeException {

    public ConfigFileException(Path file, String reason) {
        super("cannot read configuration file " + file.toAbsolutePath() + ": " + reason);
    }
}
