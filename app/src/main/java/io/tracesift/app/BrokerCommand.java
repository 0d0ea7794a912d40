package io.tracesift.app;

import io.tracesift.kafkalocal.BrokerSettings;
import io.tracesift.kafkalocal.LocalKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tracesift broker}: a real single-node Kafka broker (KRaft) in its own JVM, until Ctrl-C. */
@Command(name = "broker", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run a local single-node Kafka broker (KRaft) until Ctrl-C.",
                "A real Apache Kafka broker from Kafka's own jars, in its own JVM, listening on 127.0.0.1."})
final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Client port on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".tracesift/kafka",
            description = "Folder for the broker's data, configuration and log; reused by the next start"
                    + " (default ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        PortOption.check(spec, "--port", port);
        Logging.hideConnectionWarnings();
        LocalKafkaBroker.runForeground(BrokerSettings.of(port, dataDir), System.out);
        return Tracesift.EXIT_OK;
    }
}
