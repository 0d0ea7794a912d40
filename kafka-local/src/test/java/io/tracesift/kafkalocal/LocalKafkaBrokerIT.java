package io.tracesift.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerIT {
    @TempDir
    Path dataDir;

    @Test
    void secondStartOnTheSameFolderKeepsTopicsAndCloseEndsTheProcess() throws Exception {
        long firstPid;
        try (LocalKafkaBroker first = LocalKafkaBroker.start(BrokerSettings.of(0, dataDir))) {
            first.createTopics(3, "kept-across-restarts");
            firstPid = first.pid();
            assertThat(ProcessHandle.of(firstPid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        }
        assertGone(firstPid);

        try (LocalKafkaBroker second = LocalKafkaBroker.start(BrokerSettings.of(0, dataDir));
             Admin admin = Admin.create(LocalKafkaBroker.adminConfig(second.bootstrapServers()))) {
            assertThat(second.pid()).isNotEqualTo(firstPid);
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).contains("kept-across-restarts");
            assertThat(admin.describeTopics(Set.of("kept-across-restarts")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("kept-across-restarts").partitions()).hasSize(3);
            second.close();
            second.close();
            assertGone(second.pid());
        }
    }

    @Test
    void ignoresTheTerminalsCtrlCAndStopsWhenItsOwnerClosesIt() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerSettings.of(0, dataDir))) {
            // Linux's view of the broker process: SigIgn is the hex mask of ignored signals, SIGINT (2) is bit 1.
            String ignored = Files.readAllLines(Path.of("/proc", String.valueOf(broker.pid()), "status")).stream()
                    .filter(line -> line.startsWith("SigIgn:")).findFirst().orElseThrow().substring(7).trim();
            assertThat(new BigInteger(ignored, 16).testBit(1)).as("SIGINT ignored (SigIgn %s)", ignored).isTrue();

            Process interrupt = new ProcessBuilder("kill", "-INT", String.valueOf(broker.pid())).start();
            assertThat(interrupt.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(interrupt.exitValue()).isZero();
            broker.createTopics(1, "after-ctrl-c");
            assertThat(broker.isAlive()).isTrue();

            broker.close();
            assertGone(broker.pid());
        }
    }

    @Test
    void aPortInUseIsNamedWithHowToPickAnother() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> LocalKafkaBroker.start(BrokerSettings.of(port, dataDir)))
                    .isInstanceOf(BrokerStartException.class)
                    .hasMessageContaining("port " + port + " on 127.0.0.1 is already in use")
                    .hasMessageContaining("--port");
        }
        assertThat(brokerJvmsUsing(dataDir)).isZero();
    }

    @Test
    void aCorruptMetaPropertiesNamesTheFolderAndHowToResetIt() throws IOException {
        Files.createDirectories(dataDir.resolve("data"));
        Files.write(dataDir.resolve("data/meta.properties"), new byte[] {0, (byte) 0xff, 'x', '=', 1, '\n'});

        assertThatThrownBy(() -> LocalKafkaBroker.start(BrokerSettings.of(0, dataDir)))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("The Kafka data folder " + dataDir + " is damaged")
                .hasMessageContaining("rm -rf " + dataDir);
        assertThat(brokerJvmsUsing(dataDir)).isZero();
    }

    @Test
    void aFolderOfSomethingElseIsRefusedUntouched() throws IOException {
        Files.writeString(dataDir.resolve("thesis.tex"), "\\documentclass{article}");

        assertThatThrownBy(() -> LocalKafkaBroker.start(BrokerSettings.of(0, dataDir)))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(dataDir + " is not a Kafka data folder")
                .hasMessageContaining("thesis.tex");
        try (var entries = Files.list(dataDir)) {
            assertThat(entries).containsExactly(dataDir.resolve("thesis.tex"));
        }
    }

    @Test
    void aBrokerThatDiesDuringStartUpIsReportedWithItsLogTail() throws IOException {
        try (LocalKafkaBroker first = LocalKafkaBroker.start(BrokerSettings.of(0, dataDir))) {
            assertThat(first.isAlive()).isTrue();
        }
        // the folder is formatted now, so only the broker itself reads the bad setting
        BrokerSettings broken = BrokerSettings.of(0, dataDir).withExtraProperties(Map.of("num.io.threads", "many"));

        assertThatThrownBy(() -> LocalKafkaBroker.start(broken))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("exited during start-up")
                .hasMessageContaining("rm -rf " + dataDir)
                .hasMessageContaining("num.io.threads");
        assertThat(brokerJvmsUsing(dataDir)).isZero();
    }

    private static void assertGone(long pid) {
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    private static long brokerJvmsUsing(Path dataDir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("kafka.Kafka " + dataDir))
                .filter(ProcessHandle::isAlive)
                .count();
    }
}
