package io.tracesift.bench;

import io.tracesift.kafkalocal.BrokerSettings;
import io.tracesift.kafkalocal.FolderTree;
import io.tracesift.kafkalocal.LocalKafkaBroker;
import io.tracesift.kafkalocal.Topics;
import io.tracesift.query.ApiKeys;
import io.tracesift.query.OpenTraceSource;
import io.tracesift.query.QueryHttp;
import io.tracesift.query.QuerySettings;
import io.tracesift.query.RecentTraces;
import io.tracesift.topology.NativeAllocator;
import io.tracesift.topology.TracesiftTopology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@code tracesift bench query}: issue 6's speed targets (lookup by id p99 under 50 ms, search over 1,000,000
 * recent traces p99 under 500 ms). One JVM starts a local broker, publishes N kept traces of one tenant on
 * {@code traces.<tenant>} as the pipeline does, lets the query feed ({@link RecentTraces}, tracesift's Streams
 * properties) load them into its changelogged RocksDB stores, then times requests one at a time through the real
 * HTTP API ({@link QueryHttp#routes}): lookups by id and every search shape the API offers. Each answer is
 * checked (the right trace, the right service), so a fast wrong answer cannot pass for a fast one.
 */
public final class QueryBenchmark {
    static final String TENANT = "acme";
    static final String TOPIC = "traces." + TENANT;
    private static final String APPLICATION_ID = "bench-query";
    /** The run's own key; it exists only in this JVM. */
    private static final String API_KEY = "bench-query-key-" + Long.toHexString(System.nanoTime());
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final long LOOKUP_TARGET_US = 50_000;
    private static final long SEARCH_TARGET_US = 500_000;
    private static final int SEARCH_WARMUP = 3;

    private final QueryBenchSettings settings;
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String base;
    private long lastProgressTraces;
    private long lastProgressNanos;

    private QueryBenchmark(QueryBenchSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Loads, measures and prints the figures; returns 0 (figures printed) or throws. */
    public static int run(QueryBenchSettings settings, PrintStream out) throws IOException, InterruptedException {
        return new QueryBenchmark(settings, out).run();
    }

    /** How one kind of request is built (from a random source) and which service its answers must all contain. */
    private record Shape(String kind, String name, Function<SplittableRandom, Request> request) {
    }

    private record Request(String path, String service) {
    }

    /** Latencies of one shape, µs, and what its answers held. */
    private record Timing(Shape shape, long[] micros, double averageResults, int partial) {
        long percentile(double q) {
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            return sorted[Math.max(0, (int) Math.ceil(sorted.length * q) - 1)];
        }
    }

    private record Load(long records, long bytes, double writeSeconds, double seconds, double cpuSeconds,
                        long peakHeap, long peakHeapAfterGc) {
    }

    private int run() throws IOException, InterruptedException {
        String loadBefore = Machine.load();
        out.println("bench query: machine " + Machine.describe() + " load " + loadBefore);
        out.println("bench query: " + HeapPeak.keepCommittedHeap());
        out.println("bench query: " + NativeAllocator.describe(System.getenv()));
        // Read once by the JDK's first HttpServer: without TCP_NODELAY each answer waits ~40 ms for a delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Path stateDir = settings.dataDir().resolve("state");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(BrokerSettings.of(0, settings.dataDir().resolve("kafka")))) {
            String bootstrap = broker.bootstrapServers();
            out.println("bench query: broker at " + bootstrap);
            Topics.create(bootstrap, settings.partitions(), TOPIC);
            long nowMs = System.currentTimeMillis();
            long[] written = write(bootstrap, nowMs);

            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            int port = http.getAddress().getPort();
            base = "http://127.0.0.1:" + port;
            QuerySettings querySettings = QuerySettings.defaults(ApiKeys.of(Map.of(API_KEY, TENANT)));
            StreamsBuilder builder = new StreamsBuilder();
            RecentTraces.addTo(builder, querySettings);
            Properties props = TracesiftTopology.streamsProperties(APPLICATION_ID, bootstrap, stateDir.toString(),
                    Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + port));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
                 KafkaStreams streams = new KafkaStreams(builder.build(props), props)) {
                for (QueryHttp.Route route : QueryHttp.routes(streams, "127.0.0.1", port, querySettings,
                        OpenTraceSource.NONE)) {
                    http.createContext(route.path(), route.handler());
                }
                http.start();
                Load load = load(streams, admin, written);
                System.gc();
                long liveAfterLoad = usedHeap();
                List<Timing> timings = new ArrayList<>();
                long[] queryHeap;
                try (HeapPeak heap = new HeapPeak()) {
                    for (Shape shape : shapes(nowMs)) {
                        int count = shape.kind().equals("lookup") ? settings.lookups() : settings.searches();
                        out.printf(Locale.ROOT, "bench query: timing %s %s (%,d requests)%n", shape.kind(),
                                shape.name(), count);
                        timings.add(measure(shape, count));
                        heap.sample();
                    }
                    queryHeap = new long[] {heap.peakUsedBytes(), heap.peakAfterGcBytes()};
                }
                // Closing flushes the stores' memtables: the sizes are then what the stores hold on disk.
                streams.close();
                String disk = disk(stateDir, broker.dataDir());
                report(load, disk, liveAfterLoad, queryHeap, timings, loadBefore);
            } finally {
                http.stop(0);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("bench query: cannot read offsets: " + e.getCause(), e.getCause());
        } finally {
            FolderTree.delete(settings.dataDir());
        }
        return 0;
    }

    /** Publishes the traces; returns {records, bytes, nanoseconds taken}. */
    private long[] write(String bootstrap, long nowMs) {
        out.printf(Locale.ROOT, "bench query: writing %,d traces to %s (%d partitions, seed %d)%n", settings.traces(),
                TOPIC, settings.partitions(), settings.seed());
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        QueryTraceInput input = new QueryTraceInput(settings.seed(), nowMs, settings.traces());
        AtomicReference<Exception> failure = new AtomicReference<>();
        long bytes = 0;
        long t0 = System.nanoTime();
        long nextProgress = t0 + PROGRESS_EVERY.toNanos();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < settings.traces() && failure.get() == null; i++) {
                byte[] key = QueryTraceInput.traceIdHex(settings.seed(), i).getBytes(StandardCharsets.US_ASCII);
                byte[] value = input.next(i).toByteArray();
                bytes += value.length;
                // Arrival now (retention counts from it); the spans themselves started during the last day.
                producer.send(new ProducerRecord<>(TOPIC, null, System.currentTimeMillis(), key, value),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
                if (System.nanoTime() > nextProgress) {
                    progress("writing", i + 1, t0);
                    nextProgress += PROGRESS_EVERY.toNanos();
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("bench query: input not written: " + failure.get(), failure.get());
        }
        long nanos = System.nanoTime() - t0;
        out.printf(Locale.ROOT, "bench query: wrote %,d traces (%,d spans, %.0f B/trace) in %.1f s%n", settings.traces(),
                (long) settings.traces() * QueryTraceInput.SPANS_PER_TRACE, (double) bytes / settings.traces(),
                nanos / 1e9);
        return new long[] {settings.traces(), bytes, nanos};
    }

    /** Runs the query feed until its committed offsets reach the end of the topic: every trace durably stored. */
    private Load load(KafkaStreams streams, Admin admin, long[] written)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < settings.partitions(); p++) {
            latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        long end = 0;
        for (var info : admin.listOffsets(latest).all().get().values()) {
            end += info.offset();
        }
        if (end != written[0]) {
            throw new IllegalStateException("bench query: " + TOPIC + " holds " + end + " records, expected " + written[0]);
        }
        out.println("bench query: loading through the query feed (Kafka Streams, exactly_once_v2, "
                + RecentTraces.class.getSimpleName() + " stores)");
        try (HeapPeak heap = new HeapPeak()) {
            long cpu0 = Benchmark.processCpuNanos();
            long t0 = System.nanoTime();
            streams.start();
            long nextProgress = t0 + PROGRESS_EVERY.toNanos();
            long loaded = 0;
            while (loaded < end) {
                Thread.sleep(200);
                heap.sample();
                KafkaStreams.State state = streams.state();
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                        || state == KafkaStreams.State.PENDING_ERROR) {
                    throw new IllegalStateException("bench query: Kafka Streams stopped (" + state + ")");
                }
                loaded = committed(admin);
                if (loaded < end && System.nanoTime() > nextProgress) {
                    progress("loaded", loaded, t0);
                    nextProgress += PROGRESS_EVERY.toNanos();
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (Benchmark.processCpuNanos() - cpu0) / 1e9;
            progress("loaded", loaded, t0);
            while (streams.state() != KafkaStreams.State.RUNNING) {
                Thread.sleep(100);
            }
            return new Load(written[0], written[1], written[2] / 1e9, seconds, cpuSeconds, heap.peakUsedBytes(),
                    heap.peakAfterGcBytes());
        }
    }

    private long committed(Admin admin) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(APPLICATION_ID).partitionsToOffsetAndMetadata().get();
        long total = 0;
        for (var e : offsets.entrySet()) {
            if (e.getKey().topic().equals(TOPIC) && e.getValue() != null) {
                total += e.getValue().offset();
            }
        }
        return total;
    }

    /** Rate so far; ETA at the rate since the previous line (start-up makes the average pessimistic early on). */
    private void progress(String what, long traces, long t0) {
        long now = System.nanoTime();
        double seconds = (now - t0) / 1e9;
        boolean sameRun = lastProgressNanos > t0;
        double recent = (traces - (sameRun ? lastProgressTraces : 0))
                / Math.max((now - (sameRun ? lastProgressNanos : t0)) / 1e9, 1e-9);
        lastProgressTraces = traces;
        lastProgressNanos = now;
        long left = settings.traces() - traces;
        out.printf(Locale.ROOT, "bench query: %s %,d / %,d traces in %.0f s (%,.0f traces/s, now %,.0f/s, ETA %s)%n",
                what, traces, settings.traces(), seconds, traces / Math.max(seconds, 1e-9), recent,
                left == 0 ? "0 s" : recent > 0 ? String.format(Locale.ROOT, "%.0f s", left / recent) : "-");
    }

    /**
     * Every request shape of the API, random parameters per request (service, trace, time window). Limit 20 unless
     * named: the page size of Grafana's and Jaeger's search forms.
     */
    private List<Shape> shapes(long nowMs) {
        long nowUs = nowMs * 1000;
        int traces = settings.traces();
        long seed = settings.seed();
        Function<SplittableRandom, String> service = r -> QueryTraceInput.service(r.nextInt(QueryTraceInput.SERVICES));
        return List.of(
                new Shape("lookup", "by id /api/traces/{id}", r -> new Request(
                        "/api/traces/" + QueryTraceInput.traceIdHex(seed, r.nextInt(traces)), null)),
                new Shape("lookup", "by id, OTLP JSON /api/v3/traces/{id}", r -> new Request(
                        "/api/v3/traces/" + QueryTraceInput.traceIdHex(seed, r.nextInt(traces)), null)),
                new Shape("search", "recent, no filter", r -> new Request("/api/traces?limit=20", null)),
                search("service", service, s -> ""),
                search("service + operation", service, s -> "&operation=query"),
                search("service + tag db.system", service, s -> "&tags=" + tags("db.system", "postgresql")),
                search("service + error", service, s -> "&tags=" + tags("error", "true")),
                new Shape("search", "error, any service", r -> new Request(
                        "/api/traces?limit=20&tags=" + tags("error", "true"), null)),
                new Shape("search", "tag http.status_code=500, any service", r -> new Request(
                        "/api/traces?limit=20&tags=" + tags("http.status_code", "500"), null)),
                new Shape("search", "minDuration 3s, any service", r -> new Request(
                        "/api/traces?limit=20&minDuration=3s", null)),
                search("service + duration 100ms-200ms", service, s -> "&minDuration=100ms&maxDuration=200ms"),
                search("service + 1 h window (start/end)", service, s -> {
                    long end = nowUs - s.nextLong(23 * 3_600_000_000L);
                    return "&start=" + (end - 3_600_000_000L) + "&end=" + end;
                }),
                search("service + lookback 1h, limit 100", service, s -> "&lookback=1h&limit=100"),
                search("service, limit 1500 (the maximum)", service, s -> "&limit=1500"),
                new Shape("list", "services /api/services", r -> new Request("/api/services", null)),
                new Shape("list", "operations /api/services/{s}/operations", r -> new Request(
                        "/api/services/" + service.apply(r) + "/operations", null)),
                new Shape("list", "dependencies /api/dependencies (24 h)", r -> new Request("/api/dependencies", null)));
    }

    /** A search for one random service (limit 20 unless {@code more} sets another). */
    private static Shape search(String name, Function<SplittableRandom, String> service,
                                Function<SplittableRandom, String> more) {
        return new Shape("search", name, r -> {
            String s = service.apply(r);
            String extra = more.apply(r);
            return new Request("/api/traces?service=" + s + (extra.contains("limit=") ? "" : "&limit=20") + extra, s);
        });
    }

    private static String tags(String key, String value) {
        return URLEncoder.encode("{\"" + key + "\":\"" + value + "\"}", StandardCharsets.UTF_8);
    }

    private Timing measure(Shape shape, int count) throws IOException, InterruptedException {
        SplittableRandom random = new SplittableRandom(settings.seed() * 31 + shape.name().hashCode());
        int warmup = shape.kind().equals("lookup") ? Math.max(1, count / 10) : SEARCH_WARMUP;
        for (int i = 0; i < warmup; i++) {
            fetch(shape.request().apply(random));
        }
        long[] micros = new long[count];
        long results = 0;
        int partial = 0;
        for (int i = 0; i < count; i++) {
            Request request = shape.request().apply(random);
            long t0 = System.nanoTime();
            byte[] answer = fetch(request);
            micros[i] = (System.nanoTime() - t0) / 1000;
            JsonNode body = json.readTree(answer);
            JsonNode errors = body.path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                partial++;
            }
            results += check(shape, request, body);
        }
        return new Timing(shape, micros, (double) results / count, partial);
    }

    /** Sends one request and reads the whole answer (the clock stops after its last byte, before parsing). */
    private byte[] fetch(Request request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(base + request.path()))
                .header("Authorization", "Bearer " + API_KEY).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("bench query: " + request.path() + " answered " + response.statusCode()
                    + ": " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    /** Checks one answer and returns how many results it held. */
    private static int check(Shape shape, Request request, JsonNode body) {
        if (shape.name().startsWith("by id, OTLP")) {
            int spans = 0;
            for (JsonNode resource : body.path("result").path("resourceSpans")) {
                for (JsonNode scope : resource.path("scopeSpans")) {
                    spans += scope.path("spans").size();
                }
            }
            require(spans == QueryTraceInput.SPANS_PER_TRACE, request, spans + " spans");
            return 1;
        }
        JsonNode data = body.path("data");
        require(data.isArray(), request, "no data array");
        if (shape.kind().equals("lookup")) {
            String id = request.path().substring(request.path().lastIndexOf('/') + 1);
            require(data.size() == 1 && data.get(0).path("traceID").asText().equals(id)
                    && data.get(0).path("spans").size() == QueryTraceInput.SPANS_PER_TRACE, request, "not the trace");
        } else if (request.service() != null) {
            for (JsonNode trace : data) {
                boolean has = false;
                for (JsonNode process : trace.path("processes")) {
                    has |= process.path("serviceName").asText().equals(request.service());
                }
                require(has, request, "a trace without " + request.service());
            }
        }
        return data.size();
    }

    private static void require(boolean ok, Request request, String what) {
        if (!ok) {
            throw new IllegalStateException("bench query: wrong answer to " + request.path() + ": " + what);
        }
    }

    private void report(Load load, String disk, long liveAfterLoad, long[] queryHeap, List<Timing> timings,
                        String loadBefore) {
        long mb = 1024 * 1024;
        out.println();
        out.printf(Locale.ROOT, "QUERY RESULTS (%,d traces of tenant %s, %d partitions, one request at a time through"
                + " the HTTP API)%n", load.records(), TENANT, settings.partitions());
        out.printf(Locale.ROOT, "input  %,d traces, %,d spans, %.0f B/trace, written in %.1f s (%,.0f traces/s)%n",
                load.records(), load.records() * QueryTraceInput.SPANS_PER_TRACE, (double) load.bytes() / load.records(),
                load.writeSeconds(), load.records() / load.writeSeconds());
        out.printf(Locale.ROOT, "load   %,d traces in %.1f s: %,.0f traces/s, %.1f MB/s, CPU %.0f us/trace"
                        + "  peak heap %d MB (after GC %d MB)%n", load.records(), load.seconds(),
                load.records() / load.seconds(), load.bytes() / load.seconds() / mb,
                load.cpuSeconds() * 1e6 / load.records(), load.peakHeap() / mb, load.peakHeapAfterGc() / mb);
        out.println("disk   " + disk);
        out.printf(Locale.ROOT, "heap   live after load %d MB; during queries peak %d MB (after GC %d MB); max %d MB%n",
                liveAfterLoad / mb, queryHeap[0] / mb, queryHeap[1] / mb, Runtime.getRuntime().maxMemory() / mb);
        for (Timing t : timings) {
            out.printf(Locale.ROOT, "%-6s %-42s p50 %8.2f ms  p95 %8.2f ms  p99 %8.2f ms  max %8.2f ms  n %d"
                            + "  results %.1f%s%n", t.shape().kind(), t.shape().name(), t.percentile(0.50) / 1000.0,
                    t.percentile(0.95) / 1000.0, t.percentile(0.99) / 1000.0, t.percentile(1.0) / 1000.0,
                    t.micros().length, t.averageResults(), t.partial() == 0 ? "" : "  partial " + t.partial());
        }
        target("lookup by id", timings, "lookup", LOOKUP_TARGET_US);
        target("search", timings, "search", SEARCH_TARGET_US);
        out.println("load average before " + loadBefore + ", after " + Machine.load() + " ("
                + Runtime.getRuntime().availableProcessors() + " cpus)");
    }

    /** The slowest shape's p99 of one kind against the target, naming every shape that missed it. */
    private void target(String what, List<Timing> timings, String kind, long targetUs) {
        List<Timing> ofKind = timings.stream().filter(t -> t.shape().kind().equals(kind)).toList();
        Timing worst = ofKind.stream().max(Comparator.comparingLong(t -> t.percentile(0.99))).orElseThrow();
        List<String> missed = ofKind.stream().filter(t -> t.percentile(0.99) >= targetUs)
                .map(t -> t.shape().name()).toList();
        out.printf(Locale.ROOT, "target %s p99 < %d ms: worst p99 %.2f ms (%s)  %s%n", what, targetUs / 1000,
                worst.percentile(0.99) / 1000.0, worst.shape().name(), missed.isEmpty() ? "MET"
                        : "MISSED by " + missed.size() + " of " + ofKind.size() + " shapes: " + String.join("; ", missed));
    }

    /** Bytes on disk of the query stores (per store, all tasks) and of the broker (input topic, changelogs, rest). */
    private static String disk(Path stateDir, Path brokerDir) {
        Map<String, Long> stores = new TreeMap<>();
        Map<String, Long> broker = new TreeMap<>();
        sizes(stateDir).forEach((path, size) -> {
            Path relative = stateDir.relativize(path);
            for (int i = 0; i + 1 < relative.getNameCount(); i++) {
                if (relative.getName(i).toString().equals("rocksdb")) {
                    stores.merge(relative.getName(i + 1).toString(), size, Long::sum);
                }
            }
        });
        sizes(brokerDir).forEach((path, size) -> {
            String name = brokerDir.relativize(path).toString();
            String group = name.contains("-changelog-") ? "changelogs" : name.contains(TOPIC + "-") ? "input" : "other";
            broker.merge(group, size, Long::sum);
        });
        StringBuilder text = new StringBuilder("query stores (RocksDB) ")
                .append(megabytes(stores.values().stream().mapToLong(Long::longValue).sum())).append(" MB (");
        stores.forEach((name, size) -> text.append(name.replace("tracesift-query-", "")).append(' ')
                .append(megabytes(size)).append(", "));
        text.setLength(text.length() - (stores.isEmpty() ? 0 : 2));
        text.append("); broker ").append(megabytes(broker.values().stream().mapToLong(Long::longValue).sum()))
                .append(" MB (");
        broker.forEach((name, size) -> text.append(name).append(' ').append(megabytes(size)).append(", "));
        text.setLength(text.length() - (broker.isEmpty() ? 0 : 2));
        return text.append(')').toString();
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    private static Map<Path, Long> sizes(Path root) {
        Map<Path, Long> sizes = new HashMap<>();
        if (!Files.isDirectory(root)) {
            return sizes;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    sizes.put(file, attributes.size());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // removed while walking (compaction, segment deletion)
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sizes;
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
