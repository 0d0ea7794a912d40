package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LoggingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream originalErr = System.err;

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        Configurator.setLevel(Map.of("org.apache.kafka", Level.WARN, "kafka", Level.WARN,
                "state.change.logger", Level.WARN, "io.tracesift", Level.INFO));
    }

    private static List<JsonNode> capture(Runnable logging) throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        logging.run();
        System.err.flush();
        return buffer.toString(StandardCharsets.UTF_8).lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (Exception e) {
                throw new AssertionError("not a JSON log line: " + line, e);
            }
        }).toList();
    }

    @Test
    void eventsAreOneJsonObjectPerLineWithTheTraceIdFromTheContext() throws Exception {
        Logger log = LoggerFactory.getLogger("io.tracesift.topology.Example");

        List<JsonNode> events = capture(() -> {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("trace.id", "5b8efff798038103d269b633813fc60c")) {
                log.info("trace {} kept", "x");
            }
            log.warn("no trace here");
        });

        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("message").asText()).isEqualTo("trace x kept");
        assertThat(events.get(0).get("log.level").asText()).isEqualTo("INFO");
        assertThat(events.get(0).get("log.logger").asText()).isEqualTo("io.tracesift.topology.Example");
        assertThat(events.get(0).get("trace.id").asText()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(events.get(0).has("@timestamp")).isTrue();
        assertThat(events.get(1).has("trace.id")).isFalse();
    }

    @Test
    void kafkaInfoLogsAreQuietUnlessVerbose() throws Exception {
        Logger kafka = LoggerFactory.getLogger("org.apache.kafka.clients.consumer.ConsumerConfig");
        Logger broker = LoggerFactory.getLogger("kafka.server.BrokerServer");
        Logger tracesift = LoggerFactory.getLogger("io.tracesift.app.Example");

        List<JsonNode> quiet = capture(() -> {
            kafka.info("consumer config");
            broker.info("broker started");
            kafka.warn("consumer warning");
            tracesift.debug("details");
        });
        Logging.verbose();
        List<JsonNode> verbose = capture(() -> {
            kafka.info("consumer config");
            broker.info("broker started");
            tracesift.debug("details");
        });

        assertThat(quiet).extracting(e -> e.get("message").asText()).containsExactly("consumer warning");
        assertThat(verbose).extracting(e -> e.get("message").asText()).containsExactly("consumer config", "broker started", "details");
    }

    @Test
    void exceptionsCarryTheirStackTrace() throws Exception {
        List<JsonNode> events = capture(() ->
                LoggerFactory.getLogger("io.tracesift.app.Example").error("failed", new IllegalStateException("broken")));

        assertThat(events.get(0).get("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(events.get(0).get("error.message").asText()).isEqualTo("broken");
        assertThat(events.get(0).get("error.stack_trace").asText()).contains("LoggingTest");
    }
}
