package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded jar the way {@code ./tracesift} does: a separate {@code java -jar} process. */
class TracesiftJarIT {

    private static final Path JAR = Path.of("target", "tracesift.jar").toAbsolutePath();

    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void jarExists() {
        assertThat(JAR).as("the shaded jar, built in the package phase").isRegularFile();
    }

    private Result tracesift(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TRACESIFT_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tracesift " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(),
                Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommandsAndExitsZero() throws Exception {
        Result result = tracesift(Map.of(), "--help");

        assertThat(result.exitCode()).isEqualTo(0);
        assertThat(result.out()).contains("Usage: tracesift")
                .containsPattern("(?m)^  run +\\S")
                .containsPattern("(?m)^  broker +\\S")
                .containsPattern("(?m)^  demo +\\S");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void aBadOptionExitsTwoWithAClearMessage() throws Exception {
        Result result = tracesift(Map.of(), "run", "--bootstrap-server", "localhost:9092");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Unknown options: '--bootstrap-server', 'localhost:9092'")
                .contains("Possible solutions: --bootstrap-servers");
    }

    @Test
    void aBadConfigurationFileListsEveryProblem() throws Exception {
        Path config = dir.resolve("tracesift.yaml");
        Files.writeString(config, """
                bootstrap-servers: localhost
                http-port: 80800
                aplication-id: x
                kafka:
                  acks:
                """);

        Result result = tracesift(Map.of("TRACESIFT_CONFIG", config.toString()), "run");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("tracesift run: invalid configuration, 4 problems:")
                .contains("  - aplication-id: not a tracesift setting; did you mean 'application-id'?")
                .contains("  - kafka.acks (file " + config + "): has no value")
                .contains("  - bootstrap-servers: 'localhost' (file " + config + ") is not HOST:PORT")
                .contains("  - http-port: '80800' (file " + config + ") is not a port number");
    }
}
