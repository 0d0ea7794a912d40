package io.tracesift.app;

import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/** Log levels the command line controls; the layout itself is in log4j2.xml. */
final class Logging {

    private static volatile boolean verbose;

    private Logging() {
    }

    /** {@code --verbose}: Kafka's own logs at INFO (WARN otherwise), tracesift's at DEBUG. */
    static void verbose() {
        verbose = true;
        Configurator.setLevel(Map.of(
                "org.apache.kafka", Level.INFO,
                "kafka", Level.INFO,
                "state.change.logger", Level.INFO,
                "io.tracesift", Level.DEBUG));
    }

    /**
     * For commands that poll a broker while it starts: its refused connections are expected then, so the
     * Kafka client's per-attempt warnings are hidden unless {@code --verbose}.
     */
    static void hideConnectionWarnings() {
        if (!verbose) {
            Configurator.setLevel("org.apache.kafka.clients.NetworkClient", Level.ERROR);
        }
    }

    /**
     * For the demo's log file: Kafka Streams' thread states, task assignments and consumer group joins at INFO, so a
     * pipeline that stays REBALANCING shows which thread waits for what. Kafka's other logs stay at WARN.
     */
    static void streamsLifecycle() {
        if (!verbose) {
            Configurator.setLevel(Map.of(
                    "org.apache.kafka.streams.processor.internals.StreamThread", Level.INFO,
                    "org.apache.kafka.streams.processor.internals.TaskManager", Level.INFO,
                    "org.apache.kafka.streams.processor.internals.StateDirectory", Level.INFO,
                    "org.apache.kafka.streams.processor.internals.StoreChangelogReader", Level.INFO,
                    "org.apache.kafka.streams.KafkaStreams", Level.INFO,
                    "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator", Level.INFO,
                    "org.apache.kafka.clients.consumer.internals.AbstractCoordinator", Level.INFO));
        }
    }

    /** Flushes and stops Log4j; its own shutdown hook is off so that shutdown itself can be logged. */
    static void stop() {
        LogManager.shutdown();
    }
}
