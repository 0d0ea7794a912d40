package io.tracesift.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerOwnershipTest {
    @TempDir
    Path root;

    private Process bystander;

    @AfterEach
    void stopBystander() {
        if (bystander != null) {
            bystander.destroyForcibly();
        }
    }

    @Test
    void aFolderThisJvmOwnsIsNotOrphaned() throws IOException {
        DataFolder folder = new DataFolder(root);
        bystander = new ProcessBuilder("sleep", "60").start();

        BrokerOwnership.record(folder, bystander.toHandle());

        assertThat(BrokerOwnership.ownerGone(folder)).isFalse();
        BrokerOwnership.stopOrphan(folder);
        assertThat(bystander.isAlive()).isTrue();
        assertThat(root.resolve(BrokerOwnership.FILE)).exists();
    }

    @Test
    void aFolderWithoutARecordIsLeftAlone() {
        assertThat(BrokerOwnership.ownerGone(new DataFolder(root))).isFalse();
    }

    @Test
    void aDeadOwnersRecordIsDroppedButAProcessThatReusedTheBrokersPidSurvives() throws Exception {
        DataFolder folder = new DataFolder(root);
        // the owner's start time is read while it still runs: a process that already exited has none to read
        Process owner = new ProcessBuilder("sleep", "60").start();
        String ownerStart = owner.info().startInstant().map(Object::toString).orElse("");
        assertThat(ownerStart).as("start time of a running process").isNotEmpty();
        owner.destroyForcibly();
        assertThat(owner.waitFor(10, TimeUnit.SECONDS)).isTrue();
        bystander = new ProcessBuilder("sleep", "60").start();
        // same pid as the recorded broker, but it started at another time: a different process
        writeRecord(bystander.pid(), "2001-01-01T00:00:00Z", owner.pid(), ownerStart);

        assertThat(BrokerOwnership.ownerGone(folder)).isTrue();
        BrokerOwnership.stopOrphan(folder);

        assertThat(bystander.isAlive()).as("a process that only reuses the broker's pid").isTrue();
        assertThat(root.resolve(BrokerOwnership.FILE)).doesNotExist();
    }

    private void writeRecord(long broker, String brokerStart, long owner, String ownerStart) throws IOException {
        Properties record = new Properties();
        record.setProperty("broker", String.valueOf(broker));
        record.setProperty("brokerStart", brokerStart);
        record.setProperty("owner", String.valueOf(owner));
        record.setProperty("ownerStart", ownerStart);
        try (OutputStream out = Files.newOutputStream(root.resolve(BrokerOwnership.FILE))) {
            record.store(out, null);
        }
    }
}
