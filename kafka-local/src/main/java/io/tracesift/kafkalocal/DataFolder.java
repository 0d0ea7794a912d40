package io.tracesift.kafkalocal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/**
 * The layout of a local broker's folder: Kafka's log directory under {@code data/} (formatted once,
 * reused afterwards), the generated {@code server.properties}, the broker's own Log4j2 config and its logs.
 */
final class DataFolder {
    static final String NODE_ID = "1";

    private static final Set<String> OWN_ENTRIES = Set.of(
            "data", "server.properties", "log4j2-broker.properties", "broker.log", "broker-previous.log",
            "broker-console.log", BrokerOwnership.FILE, BrokerOwnership.FILE + ".partial");
    private static final int TAIL_BYTES = 64 * 1024;

    private final Path root;

    DataFolder(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path logDir() {
        return root.resolve("data");
    }

    Path serverProperties() {
        return root.resolve("server.properties");
    }

    Path loggingConfig() {
        return root.resolve("log4j2-broker.properties");
    }

    Path brokerLog() {
        return root.resolve("broker.log");
    }

    Path consoleLog() {
        return root.resolve("broker-console.log");
    }

    private Path metaProperties() {
        return logDir().resolve("meta.properties");
    }

    /**
     * Checks that the folder is empty, new, or a broker folder made here before, and creates it.
     *
     * @return true when it already holds formatted Kafka data that the broker will reuse
     * @throws BrokerStartException naming the folder and how to reset it when it is corrupt or foreign
     */
    boolean prepare() {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new BrokerStartException("The Kafka data folder " + root + " is a file, not a folder; "
                    + "choose another path for the data folder (--data-dir).");
        }
        boolean formatted = Files.exists(metaProperties());
        if (formatted) {
            checkMetaProperties();
        } else {
            rejectForeignContent();
        }
        try {
            Files.createDirectories(logDir());
        } catch (IOException e) {
            throw new BrokerStartException("Cannot create the Kafka data folder " + root + ": " + e, e);
        }
        return formatted;
    }

    private void checkMetaProperties() {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(metaProperties())) {
            meta.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt("cannot read " + metaProperties() + " (" + e + ")");
        }
        String version = meta.getProperty("version", "").trim();
        if (!version.equals("1")) {
            throw corrupt(metaProperties() + " has version '" + version
                    + "', but a KRaft broker needs version 1 (is it from a ZooKeeper-mode or foreign Kafka?)");
        }
        String clusterId = meta.getProperty("cluster.id", "").trim();
        try {
            Uuid.fromString(clusterId);
        } catch (IllegalArgumentException e) {
            throw corrupt(metaProperties() + " has an invalid cluster.id '" + clusterId + "'");
        }
        String nodeId = meta.getProperty("node.id", "").trim();
        if (!nodeId.equals(NODE_ID)) {
            throw corrupt(metaProperties() + " belongs to node.id '" + nodeId + "', but the local broker is node "
                    + NODE_ID);
        }
    }

    private void rejectForeignContent() {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<String> foreign = new ArrayList<>();
        try (Stream<Path> entries = Files.list(root)) {
            entries.map(p -> p.getFileName().toString())
                    .filter(name -> !OWN_ENTRIES.contains(name) && !name.matches("broker-\\d+\\.log"))
                    .sorted()
                    .forEach(foreign::add);
        } catch (IOException e) {
            throw new BrokerStartException("Cannot read the Kafka data folder " + root + ": " + e, e);
        }
        if (!foreign.isEmpty()) {
            throw new BrokerStartException("The folder " + root + " is not a Kafka data folder made by tracesift"
                    + " (it contains " + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
                    + "); choose an empty or new folder for the data (--data-dir).");
        }
        if (isNonEmptyDirectory(logDir())) {
            throw corrupt(logDir() + " holds files but no meta.properties");
        }
    }

    private static boolean isNonEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }

    /** Formats {@link #logDir()} for a new cluster, in this JVM (saves starting a second JVM). */
    void format() {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String clusterId = Uuid.randomUuid().toString();
        String[] args = {"format", "-t", clusterId, "-c", serverProperties().toString()};
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(args, out);
        } catch (RuntimeException e) {
            throw corrupt("formatting it failed: " + e.getMessage() + " " + output.toString(StandardCharsets.UTF_8).trim());
        }
        if (exitCode != 0) {
            throw corrupt("formatting it failed (exit code " + exitCode + "): "
                    + output.toString(StandardCharsets.UTF_8).trim());
        }
    }

    BrokerStartException corrupt(String reason) {
        return new BrokerStartException("The Kafka data folder " + root + " is damaged or was not made by this "
                + "broker: " + reason + ". Reset it with `rm -rf " + root + "` (this deletes its topics and data) "
                + "or use another data folder (--data-dir).");
    }

    /** Writes the broker JVM's Log4j2 config: everything to broker.log (rolled), none to our stdout. */
    void writeLoggingConfig() throws IOException {
        if (Files.exists(brokerLog())) {
            // keep the previous run's log for diagnosis; tails must only show this run
            Files.move(brokerLog(), root.resolve("broker-previous.log"), StandardCopyOption.REPLACE_EXISTING);
        }
        String logFile = brokerLog().toAbsolutePath().toString().replace('\\', '/');
        String pattern = root.resolve("broker-%i.log").toAbsolutePath().toString().replace('\\', '/');
        String config = String.join("\n",
                "status = warn",
                "appender.file.type = RollingFile",
                "appender.file.name = file",
                "appender.file.fileName = " + logFile,
                "appender.file.filePattern = " + pattern,
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "appender.file.policies.type = Policies",
                "appender.file.policies.size.type = SizeBasedTriggeringPolicy",
                "appender.file.policies.size.size = 20MB",
                "appender.file.strategy.type = DefaultRolloverStrategy",
                "appender.file.strategy.max = 2",
                "rootLogger.level = info",
                "rootLogger.appenderRef.file.ref = file",
                "logger.request.name = kafka.request.logger",
                "logger.request.level = warn",
                "logger.state.name = state.change.logger",
                "logger.state.level = warn",
                "");
        Files.writeString(loggingConfig(), config, StandardCharsets.UTF_8);
    }

    /** The last {@code maxLines} lines the broker wrote in this run (its log, then anything on its console). */
    String logTail(int maxLines) {
        StringBuilder tail = new StringBuilder();
        tail.append(tailOf(brokerLog(), maxLines));
        String console = tailOf(consoleLog(), maxLines / 2);
        if (!console.isBlank()) {
            tail.append("\n--- ").append(consoleLog()).append(" ---\n").append(console);
        }
        return tail.isEmpty() ? "(the broker wrote no log)" : tail.toString();
    }

    private static String tailOf(Path file, int maxLines) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
            return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - maxLines), lines.length));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
