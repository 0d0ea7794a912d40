package io.tracesift.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.app.config.CommandLineSettings.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AppSettingsTest {

    @TempDir
    Path dir;

    private TracesiftConfig fromYaml(String yaml) throws IOException {
        Path file = dir.resolve("tracesift.yaml");
        Files.writeString(file, yaml);
        return TracesiftConfig.load(new CommandLineSettings(file, Map.of()), Map.of());
    }

    private static TracesiftConfig fromOption(String key, String value) {
        Map<String, Setting> options = new HashMap<>();
        options.put(AppSettings.BOOTSTRAP_SERVERS, new Setting("--bootstrap-servers", "127.0.0.1:9092"));
        options.put(key, new Setting("--" + key, value));
        return TracesiftConfig.load(new CommandLineSettings(null, options), Map.of());
    }

    @Test
    void validSettingsAreParsedWithDefaults() throws IOException {
        List<String> problems = new ArrayList<>();

        AppSettings settings = AppSettings.fromConfig(fromYaml("bootstrap-servers: kafka-1:9092, kafka-2:9093\n"), problems);

        assertThat(problems).isEmpty();
        assertThat(settings).isEqualTo(new AppSettings("kafka-1:9092,kafka-2:9093", "tracesift", Path.of(".tracesift/state"),
                8080, Map.of("bootstrap.servers", "kafka-1:9092,kafka-2:9093")));
    }

    @Test
    void kafkaPropertiesPassThroughAsText() throws IOException {
        List<String> problems = new ArrayList<>();

        AppSettings settings = AppSettings.fromConfig(fromYaml("""
                bootstrap-servers: [ "a:1", "b:2" ]
                kafka:
                  security.protocol: SASL_SSL
                  linger.ms: 5
                  enable.idempotence: true
                  some.future.property: anything
                """), problems);

        assertThat(problems).isEmpty();
        assertThat(settings.kafkaProperties()).containsOnly(
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("linger.ms", "5"),
                Map.entry("enable.idempotence", "true"),
                Map.entry("some.future.property", "anything"),
                Map.entry("bootstrap.servers", "a:1,b:2"));
    }

    @Test
    void bootstrapServersMayComeFromTheKafkaSectionButTheDedicatedSettingWins() throws IOException {
        List<String> problems = new ArrayList<>();
        AppSettings fromKafka = AppSettings.fromConfig(fromYaml("kafka: {bootstrap.servers: 'k:1'}\n"), problems);
        AppSettings both = AppSettings.fromConfig(fromYaml("bootstrap-servers: d:2\nkafka: {bootstrap.servers: 'k:1'}\n"), problems);

        assertThat(problems).isEmpty();
        assertThat(fromKafka.bootstrapServers()).isEqualTo("k:1");
        assertThat(both.bootstrapServers()).isEqualTo("d:2");
        assertThat(both.kafkaProperties()).containsEntry("bootstrap.servers", "d:2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:", ":9092", "a:1,b", "a:0", "a:70000", "a b:1"})
    void badBootstrapServersAreNamed(String value) {
        List<String> problems = new ArrayList<>();

        AppSettings settings = AppSettings.fromConfig(fromOption(AppSettings.BOOTSTRAP_SERVERS, value), problems);

        assertThat(settings).isNull();
        assertThat(problems).singleElement().asString()
                .startsWith("bootstrap-servers: ")
                .contains("(option --bootstrap-servers) is not HOST:PORT; give one or more HOST:PORT separated by commas");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:9092", "[::1]:9092", "kafka-0.kafka.svc.cluster.local:9093,b:1"})
    void goodBootstrapServersAreAccepted(String value) {
        List<String> problems = new ArrayList<>();

        AppSettings settings = AppSettings.fromConfig(fromOption(AppSettings.BOOTSTRAP_SERVERS, value), problems);

        assertThat(problems).isEmpty();
        assertThat(settings.bootstrapServers()).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "8080, 8080", "65535, 65535"})
    void httpPortAcceptsZeroToMax(String value, int expected) {
        List<String> problems = new ArrayList<>();

        assertThat(AppSettings.fromConfig(fromOption(AppSettings.HTTP_PORT, value), problems).httpPort()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "65536", "eighty", "80.5", "1234567"})
    void badHttpPortsAreNamed(String value) {
        List<String> problems = new ArrayList<>();

        AppSettings.fromConfig(fromOption(AppSettings.HTTP_PORT, value), problems);

        assertThat(problems).containsExactly("http-port: '" + value + "' (option --http-port) is not a port number;"
                + " use an integer from 0 to 65535 (0 picks a free port)");
    }

    @Test
    void aNegativePortFromYamlIsRejected() throws IOException {
        List<String> problems = new ArrayList<>();

        AppSettings.fromConfig(fromYaml("bootstrap-servers: a:1\nhttp-port: -1\n"), problems);

        assertThat(problems).singleElement().asString().startsWith("http-port: '-1' (file ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "slash/y", "", "ünicode"})
    void badApplicationIdsAreNamed(String value) {
        List<String> problems = new ArrayList<>();

        AppSettings.fromConfig(fromOption(AppSettings.APPLICATION_ID, value), problems);

        assertThat(problems).singleElement().asString().startsWith("application-id: '" + value + "' (option --application-id)")
                .endsWith("use 1-200 characters from A-Z a-z 0-9 . _ -");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        List<String> problems = new ArrayList<>();

        AppSettings settings = AppSettings.fromConfig(fromYaml("""
                http-port: huge
                application-id: "a b"
                state-dir: [x]
                kafka:
                  ssl:
                    truststore: x
                  acks:
                  application.id: other
                  state.dir: /x
                """), problems);

        assertThat(settings).isNull();
        assertThat(problems).hasSize(8).anySatisfy(p -> assertThat(p).startsWith("kafka.ssl (file "))
                .anySatisfy(p -> assertThat(p).startsWith("kafka.acks (file ").contains("has no value"))
                .anySatisfy(p -> assertThat(p).startsWith("kafka.application.id (file ").contains("set 'application-id'"))
                .anySatisfy(p -> assertThat(p).startsWith("kafka.state.dir (file ").contains("TRACESIFT_STATE_DIR"))
                .anySatisfy(p -> assertThat(p).startsWith("bootstrap-servers: missing"))
                .anySatisfy(p -> assertThat(p).startsWith("application-id: 'a b'"))
                .anySatisfy(p -> assertThat(p).startsWith("state-dir: '[x]'"))
                .anySatisfy(p -> assertThat(p).startsWith("http-port: 'huge'"));
    }
}
