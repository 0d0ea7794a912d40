package io.tracesift.kafkalocal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which JVM owns the broker running on a data folder ({@code broker.pid}). A shutdown hook stops the broker when its
 * owner exits, but not when the owner is killed outright (kill -9, a test runner's timeout); such an orphan would
 * hold the folder's lock and port forever. The next start on the folder, or the next test class, finds and stops it.
 */
final class BrokerOwnership {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerOwnership.class);
    static final String FILE = "broker.pid";

    private BrokerOwnership() {
    }

    /** Records that this JVM owns {@code broker}, which runs on {@code folder}; a failure only costs the safety net. */
    static void record(DataFolder folder, ProcessHandle broker) {
        ProcessHandle owner = ProcessHandle.current();
        Properties record = new Properties();
        record.setProperty("broker", String.valueOf(broker.pid()));
        record.setProperty("brokerStart", startOf(broker));
        record.setProperty("owner", String.valueOf(owner.pid()));
        record.setProperty("ownerStart", startOf(owner));
        // written aside and moved into place so that a reader never sees half a record and takes the owner for dead
        Path partial = folder.root().resolve(FILE + ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                record.store(out, "The JVM that owns the Kafka broker on this folder");
            }
            Files.move(partial, folder.root().resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("Could not record the owner of the Kafka broker on {}: {}", folder.root(), e.toString());
        }
    }

    static void forget(DataFolder folder) {
        try {
            Files.deleteIfExists(folder.root().resolve(FILE));
        } catch (IOException e) {
            LOG.debug("Could not delete {}: {}", folder.root().resolve(FILE), e.toString());
        }
    }

    /** True when the folder has an ownership record and its owner has exited (never when that cannot be told). */
    static boolean ownerGone(DataFolder folder) {
        return read(folder)
                .filter(record -> !record.getProperty("ownerStart", "").isEmpty())
                .map(record -> running(record, "owner").isEmpty())
                .orElse(false);
    }

    /** Stops a broker left running on {@code folder} by an owner that no longer exists. */
    static void stopOrphan(DataFolder folder) {
        if (!ownerGone(folder)) {
            return;
        }
        read(folder).flatMap(record -> running(record, "broker")).ifPresent(broker -> {
            LOG.warn("Stopping Kafka broker pid {} left running on {} by a JVM that no longer exists",
                    broker.pid(), folder.root());
            broker.destroy();
            if (!exited(broker, 15)) {
                broker.destroyForcibly();
                exited(broker, 5);
            }
        });
        forget(folder);
    }

    private static boolean exited(ProcessHandle process, int seconds) {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Optional<Properties> read(DataFolder folder) {
        Path file = folder.root().resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties record = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            record.load(in);
            return Optional.of(record);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The recorded process if it still runs; its start time tells it apart from a later process given the same pid. */
    private static Optional<ProcessHandle> running(Properties record, String role) {
        String start = record.getProperty(role + "Start", "");
        return parsePid(record.getProperty(role))
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> !start.isEmpty() && start.equals(startOf(p)));
    }

    private static String startOf(ProcessHandle process) {
        return process.info().startInstant().map(Object::toString).orElse("");
    }

    private static Optional<Long> parsePid(String pid) {
        try {
            return Optional.of(Long.parseLong(pid == null ? "" : pid.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
