package io.tracesift.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracesift.app.config.CommandLineSettings.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TracesiftConfigTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path file = dir.resolve("tracesift.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static CommandLineSettings options(Path config, String... keyOptionValue) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (int i = 0; i < keyOptionValue.length; i += 3) {
            settings.put(keyOptionValue[i], new Setting(keyOptionValue[i + 1], keyOptionValue[i + 2]));
        }
        return new CommandLineSettings(config, settings);
    }

    @Test
    void defaultsApplyWhenNothingIsGiven() {
        TracesiftConfig config = TracesiftConfig.load(CommandLineSettings.none(), Map.of());

        assertThat(config.root()).containsEntry("application-id", "tracesift")
                .containsEntry("http-port", 8080)
                .containsEntry("state-dir", ".tracesift/state")
                .doesNotContainKey("bootstrap-servers");
        assertThat(config.problems()).isEmpty();
        assertThat(config.origin("http-port")).isEqualTo("default");
    }

    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefaults() throws IOException {
        Path file = file("""
                bootstrap-servers: file:1
                http-port: 1111
                state-dir: /from/file
                """);
        Map<String, String> env = Map.of(
                "TRACESIFT_HTTP_PORT", "2222",
                "TRACESIFT_STATE_DIR", "/from/env");

        TracesiftConfig config = TracesiftConfig.load(options(file, "state-dir", "--state-dir", "/from/cli"), env);

        assertThat(config.root()).containsEntry("bootstrap-servers", "file:1")
                .containsEntry("http-port", "2222")
                .containsEntry("state-dir", "/from/cli")
                .containsEntry("application-id", "tracesift");
        assertThat(config.origin("bootstrap-servers")).isEqualTo("file " + file);
        assertThat(config.origin("http-port")).isEqualTo("env TRACESIFT_HTTP_PORT");
        assertThat(config.origin("state-dir")).isEqualTo("option --state-dir");
    }

    @Test
    void configFileComesFromTheOptionBeforeTheEnvironment() throws IOException {
        Path chosen = file("application-id: chosen\n");
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, "application-id: other\n");

        assertThat(TracesiftConfig.load(options(chosen), Map.of("TRACESIFT_CONFIG", other.toString())).root())
                .containsEntry("application-id", "chosen");
        assertThat(TracesiftConfig.load(CommandLineSettings.none(), Map.of("TRACESIFT_CONFIG", other.toString())).root())
                .containsEntry("application-id", "other");
    }

    @ParameterizedTest
    @CsvSource({
            "TRACESIFT_KAFKA_SECURITY_PROTOCOL, security.protocol",
            "TRACESIFT_KAFKA_SASL_JAAS_CONFIG, sasl.jaas.config",
            "TRACESIFT_KAFKA_NUM_STREAM_THREADS, num.stream.threads",
            "TRACESIFT_KAFKA_linger_ms, linger.ms"})
    void kafkaEnvironmentVariablesBecomeDottedLowerCaseProperties(String variable, String property) {
        TracesiftConfig config = TracesiftConfig.load(CommandLineSettings.none(), Map.of(variable, "value"));

        assertThat(config.section("kafka")).containsExactly(Map.entry(property, "value"));
        assertThat(config.origin("kafka." + property)).isEqualTo("env " + variable);
    }

    @Test
    void kafkaEnvironmentVariablesOverrideSingleFilePropertiesAndKeepTheOthers() throws IOException {
        Path file = file("""
                kafka:
                  security.protocol: PLAINTEXT
                  linger.ms: 5
                """);

        TracesiftConfig config = TracesiftConfig.load(options(file), Map.of("TRACESIFT_KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));

        assertThat(config.section("kafka")).containsEntry("security.protocol", "SASL_SSL").containsEntry("linger.ms", 5);
    }

    @Test
    void emptyEnvironmentValuesCountAsUnset() {
        TracesiftConfig config = TracesiftConfig.load(CommandLineSettings.none(), Map.of("TRACESIFT_HTTP_PORT", ""));

        assertThat(config.root()).containsEntry("http-port", 8080);
    }

    @Test
    void unknownTopLevelKeysAreProblemsWithSuggestions() throws IOException {
        Path file = file("""
                bootstrap-server: a:1
                kafka.linger.ms: 5
                completely-unrelated: 1
                sampling: {}
                query: {retention: 2h}
                """);

        List<String> problems = TracesiftConfig.load(options(file), Map.of()).problems();

        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).startsWith("bootstrap-server: not a tracesift setting; did you mean 'bootstrap-servers'?")
                .contains("valid top-level settings: application-id, assembly, bootstrap-servers, flags, gateway, generator, http-port, input, kafka, metrics, output, query, redaction, sampling, state-dir, tenancy, topics");
        assertThat(problems.get(1)).startsWith("kafka.linger.ms: not a tracesift setting; did you mean to nest it: 'kafka:' then 'linger.ms:'?");
        assertThat(problems.get(2)).startsWith("completely-unrelated: not a tracesift setting; valid top-level settings:");
    }

    @Test
    void mistypedVariablesAreProblemsButUnrelatedOnesAreIgnored() {
        Map<String, String> env = Map.of(
                "TRACESIFT_BOOTSTRAP_SERVER", "a:1",
                "TRACESIFT_SERVICE_HOST", "10.0.0.1",
                "TRACESIFT_PORT_8080_TCP", "tcp://10.0.0.1:8080",
                "TRACESIFT_KAFKA_", "x");

        List<String> problems = TracesiftConfig.load(CommandLineSettings.none(), env).problems();

        assertThat(problems).containsExactly(
                "TRACESIFT_BOOTSTRAP_SERVER: not a tracesift variable; did you mean TRACESIFT_BOOTSTRAP_SERVERS?",
                "TRACESIFT_KAFKA_: names no Kafka property; use e.g. TRACESIFT_KAFKA_SECURITY_PROTOCOL for security.protocol");
    }

    @Test
    void aKafkaSectionThatIsNotAMappingIsAProblem() throws IOException {
        List<String> problems = TracesiftConfig.load(options(file("kafka: SASL_SSL\n")), Map.of()).problems();

        assertThat(problems).singleElement().asString().startsWith("kafka: must be a mapping");
    }

    @Test
    void anEmptyFileIsAnEmptyConfiguration() throws IOException {
        TracesiftConfig config = TracesiftConfig.load(options(file("")), Map.of());

        assertThat(config.problems()).isEmpty();
        assertThat(config.root()).containsEntry("http-port", 8080);
    }

    @Test
    void aMissingFileIsNamedWithTheReason() {
        Path missing = dir.resolve("missing.yaml");

        assertThatThrownBy(() -> TracesiftConfig.load(options(missing), Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("cannot read configuration file " + missing.toAbsolutePath() + ": no such file");
    }

    @Test
    void aDirectoryIsNotAConfigurationFile() {
        assertThatThrownBy(() -> TracesiftConfig.load(options(dir), Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageEndingWith(dir.toAbsolutePath() + ": it is a directory, not a file");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'http-port: 1\\nkafka: [unclosed\\n' | not valid YAML at line",
            "'http-port: 1\\nhttp-port: 2\\n'     | Duplicate field 'http-port'",
            "'- a\\n- b\\n'                       | the top level must be a mapping of settings (key: value), not a list"})
    void aFileThatIsNotAMappingOfSettingsIsRejectedWithTheReason(String content, String reason) throws IOException {
        Path file = file(content.translateEscapes());

        assertThatThrownBy(() -> TracesiftConfig.load(options(file), Map.of()))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining(reason);
    }

    @Test
    void problemsFromMergingAndValidationCanBeReportedTogether() throws IOException {
        TracesiftConfig config = TracesiftConfig.load(options(file("htp-port: 1\n")), Map.of());
        List<String> problems = new ArrayList<>(config.problems());

        AppSettings.fromConfig(config, problems);

        assertThat(new InvalidConfigException(problems).getMessage())
                .startsWith("invalid configuration, 2 problems:")
                .contains("  - htp-port: not a tracesift setting; did you mean 'http-port'?")
                .contains("  - bootstrap-servers: missing;");
    }
}
