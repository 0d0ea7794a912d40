package io.tracesift.kafkalocal;

import java.nio.file.Path;

/** What {@code tracesift broker} does, as a JVM of its own for {@link LocalKafkaForegroundIT}. */
public final class ForegroundBrokerMain {
    private ForegroundBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        try {
            LocalKafkaBroker.runForeground(BrokerSettings.of(0, Path.of(args[0])), System.out);
        } catch (BrokerStartException e) {
            System.out.println(e.getMessage());
            System.exit(1);
        }
    }
}
