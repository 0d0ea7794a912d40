package io.tracesift.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class ServerPropertiesTest {
    private final Path logDir = Path.of("/tmp/kafka/data");

    @Test
    void describesACombinedSingleNodeKraftBrokerOnTheGivenPorts() {
        Properties p = ServerProperties.of("127.0.0.1", 9092, 9093, logDir, Map.of());

        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("node.id")).isEqualTo("1");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:9093");
        assertThat(p.getProperty("listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092");
        assertThat(p.getProperty("log.dirs")).isEqualTo(logDir.toString());
    }

    @Test
    void neverAutoCreatesTopicsAndFitsOneReplica() {
        Properties p = ServerProperties.of("127.0.0.1", 9092, 9093, logDir, Map.of());

        assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("false");
        assertThat(p).containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0");
    }

    @Test
    void aCrashedBrokersSessionEndsSoonYetSpansSeveralHeartbeats() {
        Properties p = ServerProperties.of("127.0.0.1", 9092, 9093, logDir, Map.of());

        int session = Integer.parseInt(p.getProperty("broker.session.timeout.ms"));
        int heartbeat = Integer.parseInt(p.getProperty("broker.heartbeat.interval.ms"));
        // Kafka's default session is 9 s: a restart after kill -9 waited that long to register again.
        assertThat(session).isLessThan(9000);
        assertThat(heartbeat * 3).isLessThanOrEqualTo(session);
    }

    @Test
    void extraPropertiesOverrideDefaultsAndAddSettings() {
        Properties p = ServerProperties.of("127.0.0.1", 9092, 9093, logDir,
                Map.of("num.partitions", "6", "message.max.bytes", "4194304"));

        assertThat(p).containsEntry("num.partitions", "6").containsEntry("message.max.bytes", "4194304");
    }
}
