package io.tracesift.app;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tracesift.app.config.AppSettings;
import io.tracesift.app.http.HealthRoutes;
import io.tracesift.app.http.HttpEndpoint;
import io.tracesift.app.http.HttpRoute;
import io.tracesift.app.metrics.MetricsExposition;
import io.tracesift.query.QueryHttp;
import io.tracesift.query.QuerySettings;
import io.tracesift.query.RecentTraces;
import io.tracesift.app.http.Readiness;
import io.tracesift.tenantrouting.TenantTopicSpec;
import io.tracesift.tenantrouting.TopicNames;
import io.tracesift.tenantrouting.TopicProvisioner;
import io.tracesift.topology.PipelineCounters;
import io.tracesift.topology.TenantDirectory;
import io.tracesift.topology.TopologySettings;
import io.tracesift.topology.TracesiftTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running tracesift instance: the Kafka Streams pipeline and the HTTP port that reports on it. */
final class Pipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    /** How other instances reach this one's query API unless {@code kafka.application.server} says otherwise. */
    static final String DEFAULT_ADVERTISED_HOST = "127.0.0.1";
    /** A rebalance that lasts this long is logged with each stream thread's state and tasks, and again as often. */
    private static final Duration REBALANCE_REPORT_EVERY = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final TopicProvisioner provisioner;
    private final HttpEndpoint http;
    private final RebalanceWatch watch;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> firstRunning = new CompletableFuture<>();

    private Pipeline(KafkaStreams streams, TopicProvisioner provisioner, HttpEndpoint http, RebalanceWatch watch) {
        this.streams = streams;
        this.provisioner = provisioner;
        this.http = http;
        this.watch = watch;
    }

    /**
     * Builds the topology and the query feed, opens the HTTP port and starts Kafka Streams.
     *
     * @param abortHangingTransactions whether this application's hanging transactions ({@link HangingTransactions})
     *                                 are aborted before the start and by a rebalance that lasts (the demo, whose broker
     *                                 is its own), or only named by the latter with the command that aborts them (an
     *                                 operator's cluster)
     */
    static Pipeline start(AppSettings app, TopologySettings topology, TenantTopicSpec topicSpec, QuerySettings query,
                          boolean abortHangingTransactions) {
        ClusterPreflight.check(app.kafkaProperties(), requiredTopics(topology));
        TopicProvisioner provisioner = new TopicProvisioner(new HashMap<>(app.kafkaProperties()), topicSpec);
        StreamsBuilder builder = new StreamsBuilder();
        TenantDirectory tenants;
        try {
            // The flags and tenant registry are read as global tables, whose topics must exist before the start.
            topology.tenancy().controlTopics().forEach(provisioner::ensureCompacted);
            tenants = TenantDirectory.of(topology, provisioner);
        } catch (RuntimeException e) {
            provisioner.close();
            throw e;
        }
        PipelineCounters counters = new PipelineCounters();
        TracesiftTopology.build(builder, topology, tenants, tenants.outputTopics(provisioner), counters);
        RecentTraces.addTo(builder, query);
        // The port is open before Kafka Streams is built: application.server must name it (even when 0 picked it).
        HttpEndpoint http;
        try {
            http = HttpEndpoint.start(app.httpPort(), List.of());
        } catch (RuntimeException e) {
            provisioner.close();
            throw e;
        }
        HostInfo advertised;
        KafkaStreams streams;
        try {
            advertised = advertised(app.kafkaProperties(), http.port());
            Map<String, Object> overrides = new HashMap<>();
            overrides.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised.host() + ":" + advertised.port());
            // A standby answers queries (marked stale) while an instance is down; alone, an instance has none.
            overrides.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
            overrides.putAll(app.kafkaProperties());
            Properties properties = TracesiftTopology.streamsProperties(app.applicationId(), app.bootstrapServers(),
                    app.stateDir().toString(), overrides);
            streams = new KafkaStreams(builder.build(properties), properties);
        } catch (RuntimeException e) {
            http.close();
            provisioner.close();
            throw e;
        }

        PrometheusRegistry registry = new PrometheusRegistry();
        List<HttpRoute> routes = new ArrayList<>(HealthRoutes.of(new Readiness() {
            @Override
            public boolean ready() {
                return streams.state() == State.RUNNING;
            }

            @Override
            public String state() {
                return streams.state().name();
            }
        }));
        routes.addAll(MetricsExposition.routes(registry, streams, counters, query.apiKeys()));
        for (QueryHttp.Route route : QueryHttp.routes(streams, advertised.host(), advertised.port(), query,
                new AssemblingTraces(streams))) {
            routes.add(new HttpRoute(route.path(), route.prefix(), route.handler()));
        }
        http.add(routes);

        RebalanceWatch watch = new RebalanceWatch(streams::metadataForLocalThreads,
                () -> hangingTransactions(app, topology.dlqTopic(), abortHangingTransactions), System::nanoTime,
                REBALANCE_REPORT_EVERY);
        Pipeline pipeline = new Pipeline(streams, provisioner, http, watch);
        streams.setStateListener((now, before) -> {
            LOG.info("pipeline {} (was {})", now, before);
            watch.changed(now);
            if (now == State.RUNNING) {
                pipeline.firstRunning.complete(null);
            }
            if (now == State.ERROR) {
                pipeline.ended.countDown();
            }
        });
        streams.setGlobalStateRestoreListener(new RestoreLog());
        streams.setUncaughtExceptionHandler(exception -> {
            pipeline.failure.compareAndSet(null, exception);
            LOG.error("pipeline failed; stopping this instance", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        if (abortHangingTransactions) {
            // A crash of the demo's own broker can leave some behind (see HangingTransactions). Ended before the
            // start, they do not hold the pipeline in REBALANCING until the watch's first report, 30 s in.
            String found = hangingTransactions(app, topology.dlqTopic(), true);
            if (found != null) {
                LOG.warn("before the start: {}", found);
            }
        }
        streams.start();
        watch.start();
        LOG.info("tracesift running: input {}, application id {}, state dir {}, HTTP port {}", topology.tenantResolver()
                        .inputTopicPattern().map(pattern -> "topics matching " + pattern).orElse(topology.inputTopic()),
                app.applicationId(), app.stateDir().toAbsolutePath(), http.port());
        return pipeline;
    }

    /**
     * The topics that must exist before the start, by the setting that names them. In topic mode the input is every
     * {@code otlp_spans.<tenant>} topic, read by pattern as they appear, so none needs to exist yet.
     */
    static Map<String, String> requiredTopics(TopologySettings topology) {
        Map<String, String> topics = new LinkedHashMap<>();
        if (topology.tenantResolver().inputTopicPattern().isEmpty()) {
            topics.put("topics.input", topology.inputTopic());
        }
        topics.put("topics.dlq", topology.dlqTopic());
        return topics;
    }

    /**
     * Where other instances reach this one: {@code kafka.application.server} as given (e.g. a pod's address),
     * else {@value #DEFAULT_ADVERTISED_HOST} and the HTTP port.
     *
     * @throws ConfigException when the given value is not host:port
     */
    static HostInfo advertised(Map<String, String> kafkaProperties, int httpPort) {
        String given = kafkaProperties.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (given == null) {
            return new HostInfo(DEFAULT_ADVERTISED_HOST, httpPort);
        }
        HostInfo host = HostInfo.buildFromEndpoint(given);
        if (host == null) {
            throw new ConfigException(StreamsConfig.APPLICATION_SERVER_CONFIG, given, "must be host:port");
        }
        return host;
    }

    int httpPort() {
        return http.port();
    }

    /** Kafka Streams' state: CREATED, REBALANCING (joining its group, restoring state), RUNNING, ... */
    State state() {
        return streams.state();
    }

    /** Completes when Kafka Streams first reaches RUNNING: it has its tasks and their state, and processes. */
    CompletableFuture<Void> firstRunning() {
        return firstRunning;
    }

    /** Blocks until the pipeline fails or {@link #close()} has finished. */
    void awaitEnd() throws InterruptedException {
        ended.await();
    }

    /** Waits at most {@code timeout} for {@link #awaitEnd()}; true when the pipeline has ended. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The topics the transactions of application {@code applicationId} write to, as {@link #hangingTransactions}. */
    static Predicate<String> writtenTopics(String applicationId, String dlqTopic) {
        return topic -> topic.startsWith(applicationId + "-") || topic.startsWith(TopicNames.OUTPUT_PREFIX)
                || topic.equals(dlqTopic) || topic.equals(HangingTransactions.GROUP_OFFSETS_TOPIC);
    }

    /**
     * The hanging transactions on the topics this application writes (see {@link HangingTransactions}): its internal
     * topics, the tenants' {@code traces.<tenant>}, the DLQ and {@code __consumer_offsets}, where its transactions
     * commit the group's offsets; found and, if {@code abort}, aborted (only this application's); null when there are
     * none. Asked by a rebalance that lasts and once before the demo's start, so a client per ask.
     */
    static String hangingTransactions(AppSettings app, String dlqTopic, boolean abort) {
        Map<String, Object> config = new HashMap<>(app.kafkaProperties());
        // Both, or the client refuses to start: the default API timeout may not be below the request timeout.
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(config)) {
            List<String> found = HangingTransactions.inspect(admin, writtenTopics(app.applicationId(), dlqTopic),
                    app.applicationId(), app.bootstrapServers(), abort);
            return found.isEmpty() ? null : "hanging transactions: " + String.join("; ", found);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return "could not look for hanging transactions: " + e + (cause == e ? "" : " (" + cause + ")");
        }
    }

    /** What made the pipeline stop, if it failed. */
    Throwable failure() {
        return failure.get();
    }

    /**
     * Stops Kafka Streams (committing its work and leaving its consumer group), then the HTTP port. Safe to call more
     * than once. Leaving hands this instance's tasks to the others at once, and spares a restart (or another instance
     * of the group) the wait until the broker gives up on this member ({@code session.timeout.ms}); Kafka Streams'
     * default is to stay.
     */
    @Override
    public void close() {
        close(CLOSE_TIMEOUT);
    }

    /** Like {@link #close()}, waiting at most {@code timeout} for Kafka Streams. */
    void close(Duration timeout) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        LOG.info("stopping tracesift (leaving the consumer group)");
        long stoppingAt = System.nanoTime();
        boolean closed = streams.close(CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        long streamsMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppingAt);
        watch.close();
        http.close();
        provisioner.close();
        if (closed) {
            LOG.info("Kafka Streams closed in {} ms", streamsMs);
            LOG.info("tracesift stopped");
        } else {
            LOG.warn("tracesift stopped; Kafka Streams did not finish closing within {}", timeout);
        }
        ended.countDown();
    }

    /**
     * Logs every state store restoration from its changelog: a restart on kept state restores only what the last run
     * wrote after its last commit, a lost or dirty state dir restores the whole changelog; the log says which.
     */
    private static final class RestoreLog implements StateRestoreListener {
        private final Map<String, Long> startedAt = new ConcurrentHashMap<>();

        @Override
        public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
            startedAt.put(store + "/" + changelog, System.nanoTime());
            LOG.info("restoring store {} from {} offsets {} to {}", store, changelog, startingOffset, endingOffset);
        }

        @Override
        public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long numRestored) {
            // the start and end lines say enough
        }

        @Override
        public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
            Long started = startedAt.remove(store + "/" + changelog);
            LOG.info("restored store {} from {}: {} records in {} ms", store, changelog, totalRestored,
                    started == null ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }
}
