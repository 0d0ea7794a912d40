package io.tracesift.kafkalocal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How to start a {@link LocalKafkaBroker}.
 *
 * @param host             interface both listeners bind to and advertise (normally 127.0.0.1)
 * @param port             client (PLAINTEXT) port; 0 picks a free port
 * @param controllerPort   KRaft controller port; 0 picks a free port
 * @param dataDir          folder holding the broker's data, config and logs; reused by later starts
 * @param extraProperties  broker properties that override the defaults (e.g. {@code message.max.bytes})
 * @param classpath        where the broker JVM finds Kafka; null means this JVM's {@code java.class.path}.
 *                         Folders on it are left out and, when it holds every jar kafka-local needs, only those
 *                         are used (see {@code BrokerClasspath})
 * @param startTimeout     how long to wait for the broker to answer before giving up
 */
public record BrokerSettings(
        String host,
        int port,
        int controllerPort,
        Path dataDir,
        Map<String, String> extraProperties,
        String classpath,
        Duration startTimeout) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9092;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

    public BrokerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (random) or 1-65535, got " + port);
        }
        if (controllerPort < 0 || controllerPort > 65535) {
            throw new IllegalArgumentException("controllerPort must be 0 (random) or 1-65535, got " + controllerPort);
        }
        extraProperties = extraProperties == null ? Map.of() : Map.copyOf(extraProperties);
    }

    /** 127.0.0.1 on the given client port (0 = random), random controller port, default class path and timeout. */
    public static BrokerSettings of(int port, Path dataDir) {
        return new BrokerSettings(DEFAULT_HOST, port, 0, dataDir, Map.of(), null, DEFAULT_START_TIMEOUT);
    }

    public BrokerSettings withExtraProperties(Map<String, String> properties) {
        return new BrokerSettings(host, port, controllerPort, dataDir, properties, classpath, startTimeout);
    }

    public BrokerSettings withClasspath(String brokerClasspath) {
        return new BrokerSettings(host, port, controllerPort, dataDir, extraProperties, brokerClasspath, startTimeout);
    }

    /** The broker JVM's classpath: the override, else this JVM's. */
    String effectiveClasspath() {
        return classpath == null || classpath.isBlank() ? System.getProperty("java.class.path") : classpath;
    }
}
