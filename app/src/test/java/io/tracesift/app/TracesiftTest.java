package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class TracesiftTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(Map<String, String> environment, String... args) {
        CommandLine commandLine = Tracesift.commandLine(environment);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private int execute(String... args) {
        return execute(Map.of(), args);
    }

    @Test
    void helpListsEveryCommandAndExitsZero() {
        assertThat(execute("--help")).isEqualTo(0);

        assertThat(out.toString()).contains("Usage: tracesift")
                .containsPattern("(?m)^  run +Run the pipeline against a Kafka cluster")
                .containsPattern("(?m)^  broker +Run a local single-node Kafka broker")
                .containsPattern("(?m)^  demo +One-command demo")
                .containsPattern("(?m)^  generate +Generate multi-agent workflow traces")
                .containsPattern("(?m)^  gateway +OTLP/HTTP receiver")
                .containsPattern("(?m)^  bench +Benchmarks on a local broker")
                .containsPattern("(?m)^  flags +Turn the observability rollout flag")
                .contains("--verbose");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void helpGivesEveryCommandExactlyOneLine() {
        assertThat(execute("--help")).isEqualTo(0);

        String commands = out.toString().substring(out.toString().indexOf("Commands:") + "Commands:".length()).strip();
        // A wrapped description would add an indented continuation line that names no command.
        assertThat(commands.lines().map(line -> line.strip().split(" +")[0]))
                .containsExactly("run", "broker", "demo", "generate", "gateway", "bench", "flags", "help");
    }

    @Test
    void versionNamesTheProjectVersion() {
        assertThat(execute("--version")).isEqualTo(0);

        assertThat(out.toString()).startsWith("tracesift ").doesNotContain("unknown").doesNotContain("${");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(execute("frobnicate")).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("Unknown command 'frobnicate'; the commands are: run, broker, demo, generate, gateway, bench, flags, help."
                + System.lineSeparator() + "See 'tracesift --help'." + System.lineSeparator());
    }

    @Test
    void aMissingCommandIsAUsageError() {
        assertThat(execute()).isEqualTo(2);

        assertThat(err.toString()).contains("Missing command: choose one of run, broker, demo, generate, gateway, bench, flags, help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--bootstrap-server"})
    void anUnknownOptionIsAUsageError(String option) {
        assertThat(execute("run", option)).isEqualTo(2);

        assertThat(err.toString()).startsWith("Unknown option: '" + option + "'")
                .contains("Possible solutions: --bootstrap-servers")
                .endsWith("See 'tracesift run --help'." + System.lineSeparator());
    }

    @Test
    void anOptionWithoutItsValueIsAUsageError() {
        assertThat(execute("run", "--http-port")).isEqualTo(2);

        assertThat(err.toString()).contains("Missing required parameter for option '--http-port'");
    }

    @Test
    void verboseIsAcceptedBeforeAndAfterTheCommand() {
        assertThat(execute("--verbose", "demo", "--http-port", "-1")).isEqualTo(2);
        assertThat(execute("demo", "--verbose", "--http-port", "-1")).isEqualTo(2);
        assertThat(err.toString()).doesNotContain("Unknown option");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--http-port|-1|--http-port -1 is not a port",
            "--broker-port|70000|--broker-port 70000 is not a port",
            "--rate|-2|--rate -2.0 is not a rate"})
    void demoRefusesImpossibleOptionsBeforeStartingAnything(String option, String value, String message) {
        assertThat(execute("demo", option, value, "--data-dir", dir.resolve("demo").toString())).isEqualTo(2);

        assertThat(err.toString()).contains(message);
        assertThat(dir.resolve("demo")).doesNotExist();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bench|--spans|10|--spans and --size-spans must be at least 100",
            "bench|--grouping|trace|--grouping trace is not a grouping; use workflow or service",
            "bench query|--traces|10|--traces must be at least 100"})
    void benchRefusesImpossibleOptionsAndLeavesNoRunFolder(String command, String option, String value, String message)
            throws IOException {
        Path data = Files.createDirectories(dir.resolve("bench"));
        String[] words = (command + " " + option + " " + value + " --data-dir " + data).split(" ");

        assertThat(execute(words)).isEqualTo(2);

        assertThat(err.toString()).contains(message);
        assertThat(data).isEmptyDirectory();
    }

    @Test
    void benchRefusesAConfigurationTracesiftWouldRefuseAndLeavesNoRunFolder() throws IOException {
        Path data = Files.createDirectories(dir.resolve("bench"));
        Path config = Files.writeString(dir.resolve("bench.yaml"), "sampling:\n  policies:\n    - type: latncy\n");

        assertThat(execute("bench", "--config", config.toString(), "--data-dir", data.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("--config " + config + ": sampling.policies[0].type: unknown type 'latncy';"
                + " did you mean 'latency'?");
        assertThat(data).isEmptyDirectory();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--rate|-1|generator.rate: -1.0 is not a positive number",
            "--duration|soon|--duration: 'soon' is not a duration"})
    void generateRefusesImpossibleSettingsWithAMessage(String option, String value, String message) {
        assertThat(execute("generate", "--gateway", "http://127.0.0.1:1/v1/traces", option, value)).isEqualTo(2);

        assertThat(err.toString()).contains(message);
    }

    @Test
    void generateRefusesAnErrorRateAboveOneFromItsConfiguration() throws IOException {
        Path config = dir.resolve("generator.yaml");
        Files.writeString(config, """
                generator:
                  error-rate: 1.5
                """);

        assertThat(execute("generate", "--gateway", "http://127.0.0.1:1/v1/traces", "--config", config.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("generator.error-rate: 1.5 is outside [0, 1]");
    }

    @Test
    void runWithInvalidConfigurationListsEveryProblemAndExitsTwo() throws IOException {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, """
                bootstrap-servers: nohost
                htp-port: 1
                """);

        int exitCode = execute(Map.of("TRACESIFT_STATE_DIR", " x", "TRACESIFT_APPLICATION_ID", "bad id"),
                "run", "--config", config.toString(), "--http-port", "-5");

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString()).startsWith("tracesift run: invalid configuration, 4 problems:")
                .contains("  - htp-port: not a tracesift setting; did you mean 'http-port'?")
                .contains("  - bootstrap-servers: 'nohost' (file " + config + ") is not HOST:PORT")
                .contains("  - application-id: 'bad id' (env TRACESIFT_APPLICATION_ID)")
                .contains("  - http-port: '-5' (option --http-port) is not a port number");
    }

    @Test
    void runWithAnUnreadableConfigurationFileNamesItAndExitsTwo() {
        Path missing = dir.resolve("missing.yaml");

        assertThat(execute(Map.of("TRACESIFT_CONFIG", missing.toString()), "run")).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("tracesift run: cannot read configuration file " + missing.toAbsolutePath()
                + ": no such file" + System.lineSeparator());
    }
}
