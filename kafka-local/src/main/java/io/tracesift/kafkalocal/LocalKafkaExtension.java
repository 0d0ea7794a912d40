package io.tracesift.kafkalocal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving an integration test class its own real Kafka broker:
 * <pre>{@code @RegisterExtension static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();}</pre>
 * One broker per test class on random free ports and a fresh temporary data folder; both are removed after the
 * class, whether its tests passed, failed, or a {@code @BeforeAll} threw. {@code @Nested} classes share the broker.
 */
public final class LocalKafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private static final String TEMP_PREFIX = "tracesift-kafka-it-";
    private final Map<String, String> brokerProperties;
    private LocalKafkaBroker broker;
    private Path dataDir;
    private Class<?> owner;

    public LocalKafkaExtension() {
        this(Map.of());
    }

    /** @param brokerProperties broker settings that override the local defaults */
    public LocalKafkaExtension(Map<String, String> brokerProperties) {
        this.brokerProperties = Map.copyOf(brokerProperties);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (broker != null) {
            return;
        }
        owner = context.getRequiredTestClass();
        cleanUpAfterKilledRuns(Path.of(System.getProperty("java.io.tmpdir")));
        dataDir = Files.createTempDirectory(TEMP_PREFIX);
        try {
            broker = LocalKafkaBroker.start(BrokerSettings.of(0, dataDir)
                    .withExtraProperties(brokerProperties)
                    .withClasspath(testClasspath()));
        } catch (RuntimeException e) {
            deleteDataDir();
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker == null || context.getRequiredTestClass() != owner) {
            return;
        }
        try {
            broker.close();
        } finally {
            broker = null;
            deleteDataDir();
        }
    }

    /** {@code 127.0.0.1:<port>} of this class's broker. */
    public String bootstrapServers() {
        return running().bootstrapServers();
    }

    /** Creates topics (existing ones are kept) and waits until every partition has a leader. */
    public void createTopics(int partitions, String... names) {
        running().createTopics(partitions, names);
    }

    /** Process id of the broker JVM. */
    public long pid() {
        return running().pid();
    }

    public LocalKafkaBroker broker() {
        return running();
    }

    private LocalKafkaBroker running() {
        if (broker == null) {
            throw new IllegalStateException("The Kafka broker is not running: register LocalKafkaExtension on a "
                    + "static field with @RegisterExtension and use it from tests or @BeforeAll methods");
        }
        return broker;
    }

    /**
     * Surefire and Failsafe may start the test JVM from a manifest-only jar; they publish the real class path in
     * {@code surefire.test.class.path}, which the broker JVM needs to find Kafka.
     */
    private static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    private void deleteDataDir() {
        if (dataDir == null) {
            return;
        }
        try {
            FolderTree.delete(dataDir);
        } finally {
            dataDir = null;
        }
    }

    /**
     * A test JVM killed outright (a Failsafe timeout, kill -9) cannot stop its broker; the next test class stops
     * such orphans and removes their folders, so they do not pile up across runs.
     */
    private static void cleanUpAfterKilledRuns(Path tmp) {
        try (Stream<Path> entries = Files.list(tmp)) {
            entries.filter(dir -> dir.getFileName().toString().startsWith(TEMP_PREFIX))
                    .map(DataFolder::new)
                    .filter(BrokerOwnership::ownerGone)
                    .forEach(folder -> {
                        BrokerOwnership.stopOrphan(folder);
                        FolderTree.delete(folder.root());
                    });
        } catch (IOException | UncheckedIOException e) {
            // best effort: a folder we cannot list or delete must not stop this test class
        }
    }
}
