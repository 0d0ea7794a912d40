package io.tracesift.kafkalocal.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus server ({@code /usr/bin/prometheus}, Debian package {@code prometheus}) as a separate process on
 * {@code 127.0.0.1} and a free port, storing into a fresh temporary folder, scraping its targets every second, with no
 * remote read or write. {@link #scrape} sets the targets (the config is rewritten and reloaded), {@link #query} runs
 * instant PromQL through the HTTP API. Closing it stops the process and deletes the folder; a shutdown hook does the
 * same if the owner forgets.
 */
public final class LocalPrometheus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPrometheus.class);
    /** Overrides the binary's location. */
    public static final String BINARY_PROPERTY = "tracesift.prometheus.binary";
    private static final Path DEFAULT_BINARY = Path.of("/usr/bin/prometheus");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;
    private static final int TAIL_LINES = 30;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path folder;
    private final int port;
    private final HttpClient http;
    private final Thread shutdownHook;
    private final Map<String, ScrapeJob> jobs = new LinkedHashMap<>();
    private boolean closed;

    private LocalPrometheus(Process process, Path folder, int port) {
        this.process = process;
        this.folder = folder;
        this.port = port;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.shutdownHook = new Thread(this::stopProcess, "local-prometheus-stop-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts Prometheus with no targets and returns once {@code /-/ready} answers.
     *
     * @throws PrometheusException when the binary is missing (the message says how to install it), or Prometheus
     *                             exits or stays unready for 60 s (the message holds the tail of its log)
     */
    public static LocalPrometheus start() {
        Path binary = binary();
        Path folder;
        try {
            folder = Files.createTempDirectory("tracesift-prometheus-");
        } catch (IOException e) {
            throw new PrometheusException("Cannot create a temporary folder for Prometheus: " + e, e);
        }
        try {
            return startIn(binary, folder);
        } catch (RuntimeException e) {
            deleteFolder(folder);
            throw e;
        }
    }

    private static LocalPrometheus startIn(Path binary, Path folder) {
        PrometheusException last = null;
        // the free port we picked may be taken before Prometheus binds it: try again with another
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            LocalPrometheus prometheus = launch(binary, folder, port);
            try {
                prometheus.awaitReady();
                LOG.info("Prometheus ready at {} (pid {}, folder {})", prometheus.baseUri(), prometheus.pid(), folder);
                return prometheus;
            } catch (PrometheusException e) {
                prometheus.stopProcess();
                prometheus.removeHook();
                last = e;
                if (!e.getMessage().contains("address already in use")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    private static Path binary() {
        String configured = System.getProperty(BINARY_PROPERTY);
        Path binary = configured != null ? Path.of(configured) : DEFAULT_BINARY;
        if (!Files.isExecutable(binary)) {
            throw new PrometheusException("Prometheus not found at " + binary + ": install the Debian package with "
                    + ".ci/install-packages (apt-get install -y prometheus), or point -D" + BINARY_PROPERTY
                    + " at a prometheus binary");
        }
        return binary;
    }

    private static LocalPrometheus launch(Path binary, Path folder, int port) {
        Path config = folder.resolve("prometheus.yml");
        Path log = folder.resolve("prometheus.log");
        try {
            Files.writeString(config, ScrapeConfig.render(List.of()));
            Process process = new ProcessBuilder(
                    binary.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + folder.resolve("data"),
                    "--storage.tsdb.retention.time=1d",
                    "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-lifecycle",
                    "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new LocalPrometheus(process, folder, port);
        } catch (IOException e) {
            throw new PrometheusException("Cannot start " + binary + ": " + e, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new PrometheusException("No free local port for Prometheus: " + e, e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Adds (or replaces) a scrape job with the given {@code host:port} targets, scraped at {@code /metrics} every
     * second, and reloads Prometheus; returns once the new config is applied. Prometheus hands new targets to its
     * scrapers at most every 5 s: use {@link #awaitTargetsUp} before relying on the first scrape.
     */
    public void scrape(String job, String... targets) {
        scrape(ScrapeJob.of(job, "/metrics", List.of(targets)));
    }

    /** Adds (or replaces, by name) a scrape job and reloads Prometheus. */
    public synchronized void scrape(ScrapeJob job) {
        jobs.put(job.name(), job);
        writeConfigAndReload();
    }

    /** Removes a scrape job, if present, and reloads Prometheus. */
    public synchronized void stopScraping(String job) {
        if (jobs.remove(job) != null) {
            writeConfigAndReload();
        }
    }

    private void writeConfigAndReload() {
        try {
            Files.writeString(folder.resolve("prometheus.yml"), ScrapeConfig.render(List.copyOf(jobs.values())));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Prometheus config", e);
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUri().resolve("/-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() != 200) {
            throw new PrometheusException("Prometheus refused the new config (HTTP " + response.statusCode() + "): "
                    + response.body().strip() + "\n" + logTail());
        }
    }

    /**
     * Runs an instant query at the current time.
     *
     * @throws PrometheusException when Prometheus rejects it (a PromQL syntax or evaluation error, with its message)
     */
    public QueryResult query(String promql) {
        String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUri().resolve("/api/v1/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        JsonNode body = parse(response);
        if (!"success".equals(body.path("status").asText())) {
            throw new PrometheusException("Prometheus rejected the query " + promql + ": "
                    + body.path("errorType").asText() + ": " + body.path("error").asText());
        }
        return QueryResult.fromData(body.path("data"));
    }

    /** The single value of a query that must return exactly one sample (e.g. {@code sum(...)}). */
    public double value(String promql) {
        return query(promql).single();
    }

    /**
     * Repeats {@code promql} until its result satisfies {@code condition}.
     *
     * @throws PrometheusException after {@code timeout}, showing the last result
     */
    public QueryResult awaitQuery(String promql, Predicate<QueryResult> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        QueryResult last;
        do {
            last = query(promql);
            if (condition.test(last)) {
                return last;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        throw new PrometheusException("After " + timeout.toSeconds() + " s the query " + promql
                + " still returned " + last.samples());
    }

    /**
     * Waits until every target of {@code job} has been scraped successfully (health "up").
     *
     * @throws PrometheusException after {@code timeout}, naming each target's health and last scrape error
     */
    public void awaitTargetsUp(String job, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> states;
        do {
            JsonNode body = parse(send(HttpRequest.newBuilder(baseUri().resolve("/api/v1/targets?state=active")).GET()));
            states = new ArrayList<>();
            boolean allUp = true;
            for (JsonNode target : body.at("/data/activeTargets")) {
                if (!job.equals(target.at("/labels/job").asText())) {
                    continue;
                }
                String health = target.path("health").asText();
                allUp &= "up".equals(health);
                states.add(target.path("scrapeUrl").asText() + " " + health
                        + (target.path("lastError").asText().isEmpty() ? "" : " (" + target.path("lastError").asText() + ")"));
            }
            if (allUp && !states.isEmpty()) {
                return;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        throw new PrometheusException("Scrape job " + job + " not up within " + timeout.toSeconds() + " s: "
                + (states.isEmpty() ? "no such job among the active targets" : String.join("; ", states)));
    }

    private JsonNode parse(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new PrometheusException("Prometheus answered HTTP " + response.statusCode() + " with a body that is "
                    + "not JSON: " + response.body(), e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new PrometheusException("Prometheus at " + baseUri() + " did not answer: " + e
                    + (process.isAlive() ? "" : "\nIt has exited. " + logTail()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusException("Interrupted while calling Prometheus", e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(baseUri().resolve("/-/ready")).timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            if (!process.isAlive()) {
                throw new PrometheusException("Prometheus exited during start-up (exit code " + process.exitValue()
                        + "). " + logTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (ConnectException notYetListening) {
                // still starting
            } catch (IOException e) {
                LOG.debug("Prometheus readiness probe failed: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PrometheusException("Interrupted while waiting for Prometheus to start", e);
            }
            if (System.nanoTime() > deadline) {
                throw new PrometheusException("Prometheus (pid " + process.pid() + ") not ready at " + baseUri()
                        + " within " + START_TIMEOUT.toSeconds() + " s. " + logTail());
            }
            sleep(100);
        }
    }

    private String logTail() {
        Path log = folder.resolve("prometheus.log");
        try {
            List<String> lines = Files.readAllLines(log);
            return "Last lines of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** Stops Prometheus (SIGTERM, then a forced kill after 10 s) and deletes its folder. Safe to call twice. */
    @Override
    public void close() {
        stopProcess();
        removeHook();
        deleteFolder(folder);
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already running the hook
        }
    }

    private synchronized void stopProcess() {
        if (closed) {
            return;
        }
        closed = true;
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Prometheus pid {} did not stop within {} s; killing it", process.pid(), STOP_GRACE.toSeconds());
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteFolder(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot delete the Prometheus folder {}: {}", folder, e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusException("Interrupted while waiting for Prometheus", e);
        }
    }
}
