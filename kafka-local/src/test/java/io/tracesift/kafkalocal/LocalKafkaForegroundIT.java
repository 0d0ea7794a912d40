package io.tracesift.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracesift broker}'s entry point in its own JVM, stopped the way a terminal stops it. */
class LocalKafkaForegroundIT {
    private static final Pattern READY = Pattern.compile("Kafka broker ready at (127\\.0\\.0\\.1:\\d+) \\(data: (.+)\\)");

    @TempDir
    Path dataDir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopLeftovers() throws InterruptedException {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void printsWhereItIsReadyServesClientsAndStopsItsBrokerWhenTerminated() throws Exception {
        Process app = launch();
        BufferedReader out = reader(app);

        Matcher ready = READY.matcher(awaitLine(out, "Kafka broker ready at"));
        assertThat(ready.matches()).isTrue();
        assertThat(ready.group(2)).isEqualTo(dataDir.toString());
        assertThat(out.readLine()).isEqualTo("Press Ctrl-C to stop.");
        Topics.create(ready.group(1), 1, "reachable");
        ProcessHandle broker = app.toHandle().children().findFirst().orElseThrow();

        app.toHandle().destroy(); // SIGTERM like a terminal's stop; Process.destroy() would also close our pipe

        assertThat(awaitLine(out, "Kafka broker stopped.")).isEqualTo("Kafka broker stopped.");
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(broker.isAlive()).isFalse();
    }

    @Test
    void reportsABrokerThatDiesUnderItWithTheLogTail() throws Exception {
        Process app = launch();
        BufferedReader out = reader(app);
        awaitLine(out, "Kafka broker ready at");
        ProcessHandle broker = app.toHandle().children().findFirst().orElseThrow();

        broker.destroyForcibly();

        assertThat(awaitLine(out, "The Kafka broker stopped by itself"))
                .contains("The Kafka broker stopped by itself", "Last lines of " + dataDir.resolve("broker.log"));
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(app.exitValue()).isNotZero();
    }

    @Test
    void aBrokerOrphanedByAKilledOwnerIsStoppedByTheNextStartOnItsFolder() throws Exception {
        Process app = launch();
        awaitLine(reader(app), "Kafka broker ready at");
        ProcessHandle orphan = app.toHandle().children().findFirst().orElseThrow();

        app.toHandle().destroyForcibly(); // kill -9: no shutdown hook runs
        assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(orphan.isAlive()).as("the broker outlives a kill -9 of its owner").isTrue();

        try (LocalKafkaBroker next = LocalKafkaBroker.start(BrokerSettings.of(0, dataDir))) {
            assertThat(orphan.isAlive()).isFalse();
            next.createTopics(1, "after-orphan");
        }
    }

    private Process launch() throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, ForegroundBrokerMain.class.getName(), dataDir.toString())
                .redirectErrorStream(true)
                .start();
        started.add(process);
        return process;
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads until a line starting with {@code text} (log lines start with a time); fails with everything read if the process ends first. */
    private static String awaitLine(BufferedReader out, String text) throws IOException {
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(text)) {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("The process ended without printing '" + text + "'. Output:\n" + seen);
    }
}
