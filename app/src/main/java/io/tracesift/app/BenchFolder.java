package io.tracesift.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The {@code --data-dir} option of the benchmarks and the run's own folder below it. */
final class BenchFolder {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where to create the run's own folder for broker data and Streams state; only that folder is"
                    + " deleted afterwards (default: the system's temporary folder).")
    Path dataDir;

    /**
     * Creates the run's folder and the settings that use it; settings the benchmark rejects are a usage error, and
     * the folder is removed again.
     */
    <S> S settings(CommandSpec spec, String prefix, Function<Path, S> settings) throws IOException {
        // A fresh folder of our own: the run deletes it at the end, never anything the user already had.
        Path folder = dataDir != null
                ? Files.createTempDirectory(Files.createDirectories(dataDir), prefix)
                : Files.createTempDirectory(prefix);
        try {
            return settings.apply(folder);
        } catch (IllegalArgumentException e) {
            Files.delete(folder);
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
