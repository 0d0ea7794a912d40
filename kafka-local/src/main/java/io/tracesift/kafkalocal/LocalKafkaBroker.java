package io.tracesift.kafkalocal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller combined) running as a separate JVM
 * ({@code java -cp <classpath> kafka.Kafka server.properties}) on a local folder that later starts reuse.
 * Closing it stops the process; a shutdown hook does the same if the owner forgets or the JVM is interrupted.
 * The broker ignores SIGINT (a terminal's Ctrl-C): only its owner stops it, so the owner can close its clients first.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** Writing a new class archive at exit takes seconds more, much more on a busy machine. */
    private static final Duration STOP_GRACE_WHILE_RECORDING = Duration.ofSeconds(60);
    private static final int TAIL_LINES = 40;
    private static final Path SHELL = Path.of("/bin/sh");
    private static final Path CLASS_ARCHIVE_CACHE =
            Path.of(System.getProperty("java.io.tmpdir"), "tracesift-kafka-cds");

    private final BrokerSettings settings;
    private final DataFolder folder;
    private final int port;
    private final Process process;
    private final Optional<SharedClassArchive> classArchive;
    private final Thread shutdownHook;
    private boolean ready;
    private boolean closed;

    private LocalKafkaBroker(BrokerSettings settings, DataFolder folder, int port, Process process,
                             Optional<SharedClassArchive> classArchive) {
        this.settings = settings;
        this.folder = folder;
        this.port = port;
        this.process = process;
        this.classArchive = classArchive;
        this.shutdownHook = new Thread(this::stopProcess, "kafka-local-broker-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Formats the data folder if it is new, starts the broker JVM and returns once the broker answers.
     *
     * @throws BrokerStartException when a port is taken, the data folder is damaged or foreign, or the broker
     *                              exits or stays silent past {@link BrokerSettings#startTimeout()}; the message
     *                              says what to do and includes the tail of the broker log where there is one
     */
    public static LocalKafkaBroker start(BrokerSettings settings) {
        long startedAt = System.nanoTime();
        DataFolder folder = new DataFolder(settings.dataDir());
        BrokerOwnership.stopOrphan(folder);
        int port = resolvePort(settings.host(), settings.port(), "Kafka", "--port");
        int controllerPort = resolvePort(settings.host(), settings.controllerPort(), "Kafka controller", null);
        while (controllerPort == port) {
            controllerPort = resolvePort(settings.host(), 0, "Kafka controller", null);
        }
        boolean reused = folder.prepare();
        String classpath = BrokerClasspath.of(settings.effectiveClasspath());
        Optional<SharedClassArchive> classArchive = SharedClassArchive.forClasspath(classpath, CLASS_ARCHIVE_CACHE);
        Process process;
        try {
            Properties properties = ServerProperties.of(
                    settings.host(), port, controllerPort, folder.logDir(), settings.extraProperties());
            ServerProperties.write(properties, folder.serverProperties());
            if (!reused) {
                folder.format();
            }
            folder.writeLoggingConfig();
            process = launch(classpath, classArchive, folder);
        } catch (IOException e) {
            throw new BrokerStartException("Cannot prepare the Kafka data folder " + folder.root() + ": " + e, e);
        }
        LocalKafkaBroker broker = new LocalKafkaBroker(settings, folder, port, process, classArchive);
        BrokerOwnership.record(folder, process.toHandle());
        try {
            broker.awaitReady(reused);
            broker.markReady();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.info("Kafka broker ready at {} in {} ms, broker CPU {} ms (pid {}, data {}, reused data: {}, {})",
                broker.bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt),
                process.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L), process.pid(), folder.root(),
                reused, classArchive.map(SharedClassArchive::toString).orElse("no class archive"));
        return broker;
    }

    /**
     * Runs a broker until this JVM is interrupted (Ctrl-C), for {@code tracesift broker}: prints
     * "Kafka broker ready at HOST:PORT (data: DIR)" once it answers and "Kafka broker stopped." after a clean stop.
     *
     * @throws BrokerStartException if it cannot start, or if the broker process ends by itself (with the log tail)
     */
    public static void runForeground(BrokerSettings settings, PrintStream out) throws InterruptedException {
        LocalKafkaBroker broker = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            out.println("Kafka broker stopped.");
            out.flush();
        }, "kafka-local-foreground-stop"));
        out.println("Kafka broker ready at " + broker.bootstrapServers() + " (data: " + settings.dataDir() + ")");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        int exitCode = broker.process.waitFor();
        if (!broker.isClosed()) {
            broker.close();
            throw new BrokerStartException("The Kafka broker stopped by itself (exit code " + exitCode
                    + "). Last lines of " + broker.folder.brokerLog() + ":\n" + broker.folder.logTail(TAIL_LINES));
        }
    }

    /** {@code host:port} for the {@code bootstrap.servers} client setting. */
    public String bootstrapServers() {
        return settings.host() + ":" + port;
    }

    /** The client port actually used (the chosen one when the settings asked for 0). */
    public int port() {
        return port;
    }

    public Path dataDir() {
        return folder.root();
    }

    /** Process id of the broker JVM. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Creates topics (or keeps existing ones) and waits until every partition has a leader. */
    public void createTopics(int partitions, String... names) {
        try (Admin admin = Admin.create(adminConfig(bootstrapServers()))) {
            Topics.create(admin, partitions, names);
        }
    }

    /** Stops the broker: SIGTERM, up to 15 s for a clean shutdown, then a forced kill. Safe to call twice. */
    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already running the hook (or about to); nothing left to unregister
        }
    }

    /**
     * Leaves stopping this broker at JVM exit to its owner's own shutdown hook, which must {@link #close()} it after
     * the broker's clients have closed: the JVM starts all shutdown hooks at once, so the broker's hook would stop it
     * under clients still committing. An owner killed outright leaves the broker to the next start on its folder.
     */
    public void stopOnlyWhenClosed() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already running its hooks; the broker's stops it as before
        }
    }

    private synchronized void markReady() {
        ready = true;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private synchronized void stopProcess() {
        if (closed) {
            return;
        }
        closed = true;
        long stoppingAt = System.nanoTime();
        boolean clean = false;
        try {
            process.destroy();
            Duration grace = ready && classArchive.filter(SharedClassArchive::recording).isPresent()
                    ? STOP_GRACE_WHILE_RECORDING : STOP_GRACE;
            clean = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            if (!clean) {
                LOG.warn("Kafka broker pid {} did not stop within {} s; killing it", process.pid(), grace.toSeconds());
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            LOG.info("Kafka broker pid {} stopped in {} ms", process.pid(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppingAt));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        BrokerOwnership.forget(folder);
        // only a broker that ran fully and exited by itself recorded a complete, useful class archive
        if (clean && ready) {
            classArchive.ifPresent(SharedClassArchive::publishRecording);
        } else {
            classArchive.ifPresent(SharedClassArchive::discardRecording);
        }
    }

    private static Process launch(String classpath, Optional<SharedClassArchive> classArchive, DataFolder folder)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SHELL)) {
            // Ctrl-C in a terminal signals the whole foreground process group, the broker JVM included. The broker
            // must outlive its clients' last commit: it ignores SIGINT (a JVM keeps an inherited "ignore") and stops
            // when its owner sends SIGTERM, after the clients have closed. exec keeps the pid: it is the broker's.
            command.addAll(List.of(SHELL.toString(), "-c", "trap '' INT; exec \"$0\" \"$@\""));
        }
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + folder.loggingConfig().toAbsolutePath().toUri()));
        classArchive.ifPresent(archive -> command.addAll(archive.jvmOptions()));
        command.addAll(List.of("-cp", classpath, "kafka.Kafka", folder.serverProperties().toAbsolutePath().toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(folder.consoleLog().toFile())
                .start();
    }

    private void awaitReady(boolean reusedData) {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        Properties config = adminConfig(bootstrapServers());
        config.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        config.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        config.setProperty(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");
        Admin admin = Admin.create(config);
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw exitedEarly(reusedData);
                }
                // the client listener opens last, once the broker is unfenced: cheap to poll, then confirm via Admin
                if (accepts(settings.host(), port) && answers(admin)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new BrokerStartException("The Kafka broker (pid " + process.pid() + ") did not become ready "
                            + "at " + bootstrapServers() + " within " + settings.startTimeout().toSeconds()
                            + " s. Last lines of " + folder.brokerLog() + ":\n" + folder.logTail(TAIL_LINES));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartException("Interrupted while waiting for the Kafka broker to start", e);
        } finally {
            // a plain close() would wait for probes still pending against a dead or slow broker
            admin.close(Duration.ZERO);
        }
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ready means the broker lists itself as an unfenced node and serves a metadata request. */
    private static boolean answers(Admin admin) throws InterruptedException {
        try {
            Collection<Node> nodes = admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
            if (nodes.isEmpty()) {
                return false;
            }
            admin.listTopics().names().get(2, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private BrokerStartException exitedEarly(boolean reusedData) {
        String tail = folder.logTail(TAIL_LINES);
        String exit = "The Kafka broker exited during start-up (exit code " + process.exitValue() + "). ";
        String hint;
        if (tail.contains("Address already in use")) {
            hint = "One of its ports (" + port + " or the controller port) is already in use; pick a free one "
                    + "with --port or stop the process using it. ";
        } else if (tail.contains("Failed to acquire lock")) {
            hint = "Another Kafka process is using the data folder " + folder.root()
                    + "; stop it (ps aux | grep kafka.Kafka) or use another data folder (--data-dir). ";
        } else if (reusedData) {
            hint = "If the data folder is damaged, reset it with `rm -rf " + folder.root() + "`. ";
        } else {
            hint = "";
        }
        return new BrokerStartException(exit + hint + "Last lines of " + folder.brokerLog() + ":\n" + tail);
    }

    private static int resolvePort(String host, int requested, String what, String option) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), requested));
            return socket.getLocalPort();
        } catch (IOException e) {
            String how = option == null
                    ? "pick another port or stop the process using it"
                    : "pick another one with " + option + " <port> (0 picks a free port) or stop the process using it";
            throw new BrokerStartException(what + " port " + requested + " on " + host + " is already in use; "
                    + how + ". (" + e.getMessage() + ")", e);
        }
    }

    static Properties adminConfig(String bootstrapServers) {
        Properties config = new Properties();
        config.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "tracesift-kafka-local");
        return config;
    }

    @Override
    public String toString() {
        return "LocalKafkaBroker[" + bootstrapServers() + ", pid " + process.pid() + ", data " + folder.root() + "]";
    }
}
