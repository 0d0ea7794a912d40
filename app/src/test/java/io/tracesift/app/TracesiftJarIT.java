package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private static final Path JAR = Path.of("target", "tracesift.jar");

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

    @Test
    void logsAreJsonFromTheShadedJar() throws Exception {
        Path config = dir.resolve("tracesift.yaml");
        Files.writeString(config, "kafka:\n  linger.ms: 5\n");

        Result result = tracesift(Map.of("TRACESIFT_BOOTSTRAP_SERVERS", "127.0.0.1:9092"), "run", "--config", config.toString());

        List<JsonNode> events = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : result.err().lines().toList()) {
            if (line.startsWith("{")) {
                events.add(json.readTree(line));
            }
        }
        assertThat(result.err()).doesNotContain("ERROR Unable to locate plugin").doesNotContain("No logging configuration");
        assertThat(events).anySatisfy(event -> {
            assertThat(event.get("log.level").asText()).isEqualTo("INFO");
            assertThat(event.get("log.logger").asText()).isEqualTo("io.tracesift.app.RunCommand");
            assertThat(event.get("message").asText()).startsWith("configuration valid: bootstrap-servers=127.0.0.1:9092");
        });
    }
}
