package io.tracesift.app;

import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/** Log levels the command line controls; the layout itself is in log4j2.xml. */
final class Logging {

    private Logging() {
    }

    /** {@code --verbose}: Kafka's own logs at INFO (WARN otherwise), tracesift's at DEBUG. */
    static void verbose() {
        Configurator.setLevel(Map.of(
                "org.apache.kafka", Level.INFO,
                "kafka", Level.INFO,
                "state.change.logger", Level.INFO,
                "io.tracesift", Level.DEBUG));
    }

    /** Flushes and stops Log4j; its own shutdown hook is off so that shutdown itself can be logged. */
    static void stop() {
        LogManager.shutdown();
    }
}
