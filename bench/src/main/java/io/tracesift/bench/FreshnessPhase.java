package io.tracesift.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.kafkalocal.Topics;
import io.tracesift.tenantrouting.TenantId;
import io.tracesift.tenantrouting.TenantSettings;
import io.tracesift.tenantrouting.TenantTopicSpec;
import io.tracesift.tenantrouting.TopicProvisioner;
import io.tracesift.topology.PipelineCounters;
import io.tracesift.topology.TopologySettings;
import io.tracesift.topology.TracesiftTopology;
import io.tracesift.workload.GeneratorRunner;
import io.tracesift.workload.GeneratorSettings;
import io.tracesift.workload.KafkaTraceSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Freshness (issue 5 point 9): how long after a span arrives in Kafka its contribution is visible on
 * {@code /metrics}. tracesift runs as {@code run} runs it (default configuration: with the repartition,
 * exactly_once_v2, metrics on) on an input topic of its own whose record timestamps are the broker's
 * LogAppendTime. Generated workflows arrive at a steady background rate; probe spans of a tenant and service of
 * their own are written one at a time, and a view is polled like a scraper until the probe tenant's
 * {@code traces_spanmetrics_calls_total} has counted the probe. Two views, one after the other: the probe tenant's
 * {@code /metrics/tenant/<id>} (a small body: mostly the pipeline's delay) and the operator's {@code /metrics}
 * (every tenant's series: what a scrape of it adds). One probe series per partition: the probes never approach
 * the cardinality limit.
 */
final class FreshnessPhase {
    static final String TOPIC = "bench-freshness";
    static final String PROBE_TENANT = "bench-probe";
    static final String PROBE_SERVICE = "freshness-probe";
    static final Duration POLL_EVERY = Duration.ofMillis(25);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final String CALLS = "traces_spanmetrics_calls_total";
    /** What Prometheus 2.x/3.x asks for: OpenMetrics first, the classic text format as fallback. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,"
            + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
    /** Kafka Streams' start (rebalance, stores, first fetch) before the first probe is counted. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String TENANT_HEADER = "X-Scope-OrgID";
    /** How long the background runs before the first measured probe. */
    private static final Duration BACKGROUND_RAMP = Duration.ofSeconds(15);

    private final BenchSettings settings;
    private final String bootstrapServers;
    private final Path stateDir;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random;
    private long scrapes;
    private double scrapeMillisTotal;
    private double scrapeMillisMax;
    private long bodyBytesMax;

    FreshnessPhase(BenchSettings settings, String bootstrapServers, Path stateDir, PrintStream out) {
        this.settings = settings;
        this.bootstrapServers = bootstrapServers;
        this.stateDir = stateDir;
        this.out = out;
        this.random = new Random(settings.seed());
    }

    /** Both views, the tenant's first: {@code /metrics/tenant/<probe tenant>}, then the operator's {@code /metrics}. */
    List<FreshnessResult> run() throws InterruptedException {
        out.printf(Locale.ROOT, "bench: phase freshness (%d probes per view, background ~%,d spans/s, polled every %d ms)%n",
                settings.probes(), settings.backgroundRate(), POLL_EVERY.toMillis());
        createInputTopic();
        List<String> problems = new ArrayList<>();
        TopologySettings topology = TopologySettings.fromConfig(Map.of("topics", Map.of("input", TOPIC)), problems);
        if (topology == null) {
            throw new IllegalStateException("freshness configuration invalid: " + problems);
        }
        String applicationId = "bench-freshness";
        StreamsBuilder builder = new StreamsBuilder();
        try (TopicProvisioner provisioner = new TopicProvisioner(Map.of("bootstrap.servers", bootstrapServers),
                TenantTopicSpec.defaults())) {
            topology.tenancy().controlTopics().forEach(provisioner::ensureCompacted);
            provisioner.ensure(new TenantId(PROBE_TENANT), TenantSettings.DEFAULTS);
            TracesiftTopology.build(builder, topology, t -> provisioner.ensure(t, TenantSettings.DEFAULTS),
                    new PipelineCounters());
            var properties = TracesiftTopology.streamsProperties(applicationId, bootstrapServers,
                    stateDir.resolve(applicationId).toString(), settings.streamsOverrides());
            try (KafkaStreams streams = new KafkaStreams(builder.build(properties), properties);
                 MetricsEndpoint endpoint = MetricsEndpoint.start(streams);
                 KafkaProducer<byte[], byte[]> probes = probeProducer()) {
                streams.start();
                Background background = Background.start(bootstrapServers, settings);
                try {
                    return measure(streams, endpoint, probes, background);
                } finally {
                    background.stop();
                }
            }
        }
    }

    private List<FreshnessResult> measure(KafkaStreams streams, MetricsEndpoint endpoint,
                                          KafkaProducer<byte[], byte[]> probes, Background background)
            throws InterruptedException {
        // The priming probe waits out the start; it is not measured.
        long counted = 1;
        if (awaitCount(streams, endpoint.tenantUri(PROBE_TENANT), send(probes), counted, START_TIMEOUT) == null) {
            throw new IllegalStateException("freshness: the first probe span never showed on /metrics within "
                    + START_TIMEOUT.toSeconds() + " s");
        }
        // Workflows last seconds: the generator reaches its steady span rate once the first ones are complete.
        long rampLeft = BACKGROUND_RAMP.toMillis() - background.runningMillis();
        if (rampLeft > 0) {
            Thread.sleep(rampLeft);
        }
        List<FreshnessResult> results = new ArrayList<>();
        for (URI view : List.of(endpoint.tenantUri(PROBE_TENANT), endpoint.uri())) {
            results.add(measure(streams, view, probes, background, counted));
            counted += settings.probes();
        }
        return results;
    }

    /** One view: {@code settings.probes()} probes, each awaited on {@code view}; {@code counted} probes before. */
    private FreshnessResult measure(KafkaStreams streams, URI view, KafkaProducer<byte[], byte[]> probes,
                                    Background background, long counted) throws InterruptedException {
        scrapes = 0;
        scrapeMillisTotal = 0;
        scrapeMillisMax = 0;
        bodyBytesMax = 0;
        long[] seen = new long[settings.probes()];
        long[] scrapeStarted = new long[settings.probes()];
        int seenCount = 0;
        long t0 = System.nanoTime();
        long backgroundBefore = background.spans();
        long nextProgress = t0 + Duration.ofSeconds(5).toNanos();
        for (int i = 0; i < settings.probes(); i++) {
            // A random gap, so probes do not lock onto the commit interval's phase.
            Thread.sleep(50 + random.nextInt(200));
            long arrival = send(probes);
            Sighting sighting = awaitCount(streams, view, arrival, ++counted, PROBE_TIMEOUT);
            if (sighting != null) {
                seen[seenCount] = sighting.visibleMillis() - arrival;
                scrapeStarted[seenCount++] = sighting.scrapeStartMillis() - arrival;
            }
            if (System.nanoTime() > nextProgress) {
                out.printf(Locale.ROOT, "bench: freshness %s: %d / %d probes, %d seen, last %s%n", view.getPath(), i + 1,
                        settings.probes(), seenCount, sighting == null ? "not seen"
                                : (sighting.visibleMillis() - arrival) + " ms");
                nextProgress += Duration.ofSeconds(5).toNanos();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double backgroundRate = (background.spans() - backgroundBefore) / seconds;
        return new FreshnessResult(view.getPath(), settings.probes(), Arrays.copyOf(seen, seenCount),
                Arrays.copyOf(scrapeStarted, seenCount), PROBE_TIMEOUT.toMillis(), backgroundRate, scrapes,
                scrapeMillisTotal, scrapeMillisMax, bodyBytesMax);
    }

    /** The first scrape that showed a probe: when it was sent and when its response was read (epoch ms). */
    private record Sighting(long scrapeStartMillis, long visibleMillis) {}

    /**
     * Polls {@code view} until the probe tenant's calls add up to {@code count}, starting a scrape every
     * {@link #POLL_EVERY} (or as soon as the last one ended, when it took longer); null after {@code timeout} from
     * the probe's arrival.
     */
    private Sighting awaitCount(KafkaStreams streams, URI view, long arrivalMillis, long count,
                            Duration timeout) throws InterruptedException {
        long deadline = arrivalMillis + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("freshness: Kafka Streams stopped (" + streams.state() + ")");
            }
            long startMillis = System.currentTimeMillis();
            long start = System.nanoTime();
            String body = scrape(view);
            long visible = System.currentTimeMillis();
            double millis = (System.nanoTime() - start) / 1e6;
            scrapes++;
            scrapeMillisTotal += millis;
            scrapeMillisMax = Math.max(scrapeMillisMax, millis);
            bodyBytesMax = Math.max(bodyBytesMax, body.length());
            if (probeCalls(body) >= count) {
                return new Sighting(startMillis, visible);
            }
            long sleep = POLL_EVERY.toMillis() - (long) millis;
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        return null;
    }

    private String scrape(URI view) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(view).header("Accept", PROMETHEUS_ACCEPT)
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("freshness: " + view.getPath() + " answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("freshness: cannot read " + view.getPath() + ": " + e, e);
        }
    }

    /** The probe tenant's span calls summed over every series (one per partition) in a scrape body. */
    static double probeCalls(String body) {
        String tenant = "tenant=\"" + PROBE_TENANT + "\"";
        return body.lines()
                .filter(line -> line.startsWith(CALLS + "{") && line.contains(tenant))
                .mapToDouble(line -> {
                    int end = line.indexOf(" # ");   // an OpenMetrics exemplar would follow the value
                    String sample = (end < 0 ? line : line.substring(0, end)).trim();
                    return Double.parseDouble(sample.substring(sample.lastIndexOf('}') + 1).trim().split(" ")[0]);
                })
                .sum();
    }

    /** Sends one probe span and returns its arrival time in Kafka (the broker's LogAppendTime, epoch ms). */
    private long send(KafkaProducer<byte[], byte[]> producer) throws InterruptedException {
        byte[] traceId = new byte[16];
        byte[] spanId = new byte[8];
        random.nextBytes(traceId);
        random.nextBytes(spanId);
        traceId[0] |= 1;   // never all zeroes
        spanId[0] |= 1;
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        Span span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(traceId))
                .setSpanId(ByteString.copyFrom(spanId))
                .setName("probe")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(nowNanos - 1_000_000L)
                .setEndTimeUnixNano(nowNanos)
                .build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue(PROBE_SERVICE))))
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
                .build();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC,
                HexFormat.of().formatHex(traceId).getBytes(StandardCharsets.US_ASCII), request.toByteArray());
        record.headers().add(TENANT_HEADER, PROBE_TENANT.getBytes(StandardCharsets.UTF_8));
        try {
            RecordMetadata metadata = producer.send(record).get();
            return metadata.timestamp();
        } catch (ExecutionException e) {
            throw new IllegalStateException("freshness: probe not written: " + e.getCause(), e.getCause());
        }
    }

    private KafkaProducer<byte[], byte[]> probeProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The input topic, stamped with the broker's append time: a record's timestamp is its arrival in Kafka. */
    private void createInputTopic() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(settings.partitions()), Optional.empty()).configs(Map.of(
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")))).all().get();
            Topics.create(admin, settings.partitions(), TOPIC);   // waits until every partition has a leader
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            String type = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value();
            if (!"LogAppendTime".equals(type)) {
                throw new IllegalStateException("freshness: " + TOPIC + " has timestamp type " + type);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("freshness: cannot create " + TOPIC + ": " + e.getCause(), e.getCause());
        }
    }

    /** Generated workflows written at a steady rate on their own thread, following the generator's timeline. */
    private static final class Background {
        private final AtomicReference<GeneratorRunner.Progress> progress = new AtomicReference<>();
        private final KafkaTraceSink sink;
        private final Thread thread;
        private final long startNanos = System.nanoTime();

        private Background(String bootstrapServers, BenchSettings settings) {
            GeneratorSettings workflows = WorkflowInput.workflows(settings.seed() + 2, Benchmark.TENANTS)
                    .withRate(settings.backgroundRate() / WorkflowInput.SPANS_PER_WORKFLOW);
            sink = new KafkaTraceSink(Map.<String, Object>of("bootstrap.servers", bootstrapServers), TOPIC, TENANT_HEADER,
                    settings.inputPartitioning());
            thread = new Thread(() -> GeneratorRunner.run(workflows, sink, GeneratorRunner.Options.realTime(),
                    progress::set), "bench-background");
            thread.setDaemon(true);
        }

        static Background start(String bootstrapServers, BenchSettings settings) {
            Background background = new Background(bootstrapServers, settings);
            background.thread.start();
            return background;
        }

        long runningMillis() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }

        /** Spans written so far (updated every second). */
        long spans() {
            GeneratorRunner.Progress last = progress.get();
            return last == null ? 0 : last.spans();
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
            sink.close();
        }
    }
}
