package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracesift broker} from the shaded jar: starts a real broker JVM, stops it on SIGTERM, leaves nothing behind. */
class BrokerCommandIT {

    private static final Path JAR = Path.of("target", "tracesift.jar").toAbsolutePath();
    private static final Pattern READY = Pattern.compile("Kafka broker ready at 127\\.0\\.0\\.1:(\\d+) \\(data: (.+)\\)");

    @TempDir
    Path dir;

    private Process tracesift;

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (tracesift != null && tracesift.isAlive()) {
            List<ProcessHandle> children = tracesift.descendants().toList();
            tracesift.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(), "broker"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .start();
    }

    private String out() throws IOException {
        return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    }

    private String err() throws IOException {
        return Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
    }

    private Matcher awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher ready = READY.matcher(out());
            if (ready.find()) {
                return ready;
            }
            assertThat(tracesift.isAlive()).as("tracesift broker still running; stderr: %s", err()).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("broker not ready within " + timeout + "; stdout: " + out() + " stderr: " + err());
    }

    @Test
    void startsARealBrokerAndStopsItCleanlyOnSigterm() throws Exception {
        Path data = dir.resolve("kafka");
        tracesift = start("--port", "0", "--data-dir", data.toString());

        Matcher ready = awaitReady(Duration.ofSeconds(120));
        int port = Integer.parseInt(ready.group(1));
        List<ProcessHandle> brokers = tracesift.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("kafka.Kafka")).toList();
        assertThat(brokers).as("a separate broker JVM").hasSize(1);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(socket.isConnected()).isTrue();
        }

        tracesift.destroy();

        assertThat(tracesift.waitFor(60, TimeUnit.SECONDS)).as("tracesift broker stops on SIGTERM").isTrue();
        assertThat(out()).contains("Kafka broker stopped.");
        assertThat(brokers.get(0).onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(data.resolve("server.properties")).as("the data folder kept for the next start").isRegularFile();
        assertThat(err()).doesNotContain("\"log.level\":\"ERROR\"")
                .as("the readiness probe's refused connections are not logged").doesNotContain("could not be established");
    }

    @Test
    void aPortInUseIsNamedAndNothingIsLeftRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            tracesift = start("--port", String.valueOf(port), "--data-dir", dir.resolve("kafka").toString());

            assertThat(tracesift.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(tracesift.exitValue()).isEqualTo(1);
            assertThat(err()).contains("tracesift broker: Kafka port " + port + " on 127.0.0.1 is already in use")
                    .as("the message is the last word, not buried under a stack trace").doesNotContain("stack_trace");
            assertThat(tracesift.descendants().count()).isZero();
        }
    }

    @Test
    void aPortOutOfRangeIsAUsageError() throws Exception {
        tracesift = start("--port", "70000");

        assertThat(tracesift.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tracesift.exitValue()).isEqualTo(2);
        assertThat(err()).contains("--port 70000 is not a port; use 1-65535 (0 picks a free one)");
    }
}
