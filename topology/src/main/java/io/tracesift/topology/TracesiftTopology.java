package io.tracesift.topology;

import io.tracesift.tenantrouting.TenantId;
import io.tracesift.tenantrouting.TopicNames;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The tracesift pipeline: ingest (decode, resolve tenant, validate, split per trace; bad input to the DLQ)
 * → repartition by (tenant, trace id) → assemble on disk → decide on a wall-clock punctuator → kept traces
 * to {@code traces.<tenant>}.
 */
public final class TracesiftTopology {
    /** One value per stored span group, key = trace key + 4-byte sequence. */
    public static final String SPAN_STORE = "tracesift-spans";
    /** One fixed-size {@link TraceIndexEntry} per open trace, key = {@link TraceKey}. */
    public static final String INDEX_STORE = "tracesift-trace-index";
    /** Due times of open traces and of remembered decisions, key = {@link DeadlineKey}. */
    public static final String DEADLINE_STORE = "tracesift-deadlines";
    /** {@link DecisionEntry} per recently decided trace, key = {@link TraceKey}. */
    public static final String DECISION_STORE = "tracesift-decisions";
    /** Name of the repartition step; its topic is {@code <application.id>-tracesift-trace-groups-repartition}. */
    public static final String REPARTITION = "tracesift-trace-groups";
    public static final String INGEST_PROCESSOR = "tracesift-ingest";
    public static final String ASSEMBLE_PROCESSOR = "tracesift-assemble";
    /** Global stores of the compacted control topics (valid records only; no changelog, the topic is the log). */
    public static final String FLAGS_STORE = "tracesift-flags-table";
    public static final String TENANTS_STORE = "tracesift-tenants-table";

    /** Output record headers: present only on traces split over several records (0-based index, count). */
    public static final String CHUNK_INDEX_HEADER = "tracesift.chunk.index";
    public static final String CHUNK_COUNT_HEADER = "tracesift.chunk.count";
    /** Output record header {@code true} on spans that arrived after their kept trace was emitted. */
    public static final String LATE_HEADER = "tracesift.late";

    /** Span attributes stamped on kept spans (unless output.stamp-decision-attributes is false). */
    public static final String RULE_ATTRIBUTE = "tracesift.sampling.rule";
    /** Inverse keep probability, so backends can compute adjusted counts. */
    public static final String RATE_ATTRIBUTE = "tracesift.sampling.rate";
    public static final String TRUNCATED_ATTRIBUTE = "tracesift.truncated";
    public static final String DROPPED_SPANS_ATTRIBUTE = "tracesift.truncated.dropped_spans";

    /**
     * Keys of the index, deadline and decision stores whose writes a task holds between commits (a commit every 100 ms
     * holds a few thousand); beyond it they are written early, so a long commit interval does not grow the heap.
     */
    private static final int MAX_PENDING_WRITES = 50_000;
    /** Bytes of span groups a task holds between commits to write one value per trace ({@link SpanAppendBuffer}). */
    private static final long MAX_PENDING_SPAN_BYTES = 16L * 1024 * 1024;
    /** The producers' linger (ms): see {@link #streamsProperties}. */
    private static final int LINGER_MS = 10;
    /** The group consumers' heartbeat (ms): see {@link #streamsProperties}. */
    private static final int HEARTBEAT_MS = 1000;

    private static final Serde<OutputKey> OUTPUT_KEY_SERDE = Serdes.serdeFrom(OutputKey.SERIALIZER,
            (Deserializer<OutputKey>) (topic, data) -> new OutputKey(
                    new TenantId(topic.substring(TopicNames.OUTPUT_PREFIX.length())),
                    new String(data, StandardCharsets.UTF_8)));

    private TracesiftTopology() {}

    /**
     * Adds the whole pipeline to {@code builder}.
     *
     * @param outputTopics creates a tenant's output topic before its first record (a no-op in tests)
     * @param counters     where this process counts spans, decisions, late spans and dead letters
     */
    public static void build(StreamsBuilder builder, TopologySettings settings, OutputTopics outputTopics,
                             PipelineCounters counters) {
        build(builder, settings, new TenantDirectory(settings, Set::of), outputTopics, counters);
    }

    /**
     * Adds the whole pipeline, with {@code tenants} kept current from the control topics
     * ({@link TenancySettings#controlTopics()}, which must exist) and consulted by ingest and by the sampler.
     */
    public static void build(StreamsBuilder builder, TopologySettings settings, TenantDirectory tenants,
                             OutputTopics outputTopics, PipelineCounters counters) {
        addControlTable(builder, FLAGS_STORE, settings.tenancy().flags().topic(),
                () -> new ControlTableProcessor(FLAGS_STORE, tenants::applyFlag, tenants::resetFlags));
        addControlTable(builder, TENANTS_STORE, settings.tenancy().admission().registryTopic(),
                () -> new ControlTableProcessor(TENANTS_STORE, tenants::applyTenant, tenants::resetRegistry));
        builder.addStateStore(SpanAppendBuffer.builder(Stores.keyValueStoreBuilder(YoungSpanWindow.supplier(
                Stores.persistentKeyValueStore(SPAN_STORE), settings.youngWindowBytes(), counters), Serdes.Bytes(),
                Serdes.ByteArray()), MAX_PENDING_SPAN_BYTES));
        builder.addStateStore(CommitBufferStore.builder(store(INDEX_STORE), MAX_PENDING_WRITES));
        // Derived from the index and the decisions, rebuilt at each task start (TraceAssembler): no changelog.
        builder.addStateStore(CommitBufferStore.builder(store(DEADLINE_STORE).withLoggingDisabled(), MAX_PENDING_WRITES));
        builder.addStateStore(CommitBufferStore.builder(store(DECISION_STORE), MAX_PENDING_WRITES));
        MetricsStores.add(builder, settings);

        AssemblyRoute route = settings.skipRepartition() ? null : new AssemblyRoute(settings.partitioning());
        Consumed<byte[], byte[]> consumed = Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("tracesift-input");
        // Topic mode: every otlp_spans.<tenant> topic, so that Kafka ACLs decide who writes as which tenant.
        Map<String, KStream<byte[], IngestResult>> ingested = settings.tenantResolver().inputTopicPattern()
                .map(pattern -> builder.stream(pattern, consumed))
                .orElseGet(() -> builder.stream(settings.inputTopic(), consumed))
                .process(() -> new IngestProcessor(settings, counters, tenants, route), Named.as(INGEST_PROCESSOR),
                        MetricsStores.ingest(settings))
                .split(Named.as("tracesift-"))
                .branch((key, result) -> result.deadLetter(), Branched.as("dead-letters"))
                .branch((key, result) -> result.local(), Branched.as("span-groups"))
                .defaultBranch(Branched.as("span-groups-elsewhere"));

        ingested.get("tracesift-dead-letters")
                .mapValues(IngestResult::value, Named.as("tracesift-dead-letter-values"))
                .to(settings.dlqTopic(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("tracesift-dlq"));

        KStream<byte[], byte[]> groups = ingested.get("tracesift-span-groups")
                .mapValues(IngestResult::value, Named.as("tracesift-span-group-values"));
        if (route != null) {
            // Groups already in their trace's task join the assembly directly; the rest arrive through the topic.
            // Both reach the same processor, so ingest and assembly form one sub-topology reading both topics.
            groups = groups.merge(ingested.get("tracesift-span-groups-elsewhere")
                    .mapValues(IngestResult::value, Named.as("tracesift-span-group-elsewhere-values"))
                    .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(REPARTITION)
                            .withStreamPartitioner(route)), Named.as("tracesift-span-groups-merged"));
        }
        String[] assemblyStores = concat(new String[] {SPAN_STORE, INDEX_STORE, DEADLINE_STORE, DECISION_STORE},
                MetricsStores.assembly(settings));
        groups.process(() -> new TraceAssembler(settings, counters, outputTopics, tenants), Named.as(ASSEMBLE_PROCESSOR),
                        assemblyStores)
                .to(OutputKey.TOPIC, Produced.with(OUTPUT_KEY_SERDE, Serdes.ByteArray()).withName("tracesift-output"));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void addControlTable(StreamsBuilder builder, String storeName, String topic,
                                        ProcessorSupplier<String, byte[], Void, Void> processor) {
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(), topic,
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(storeName + "-source"), processor);
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
    }

    /**
     * Kafka Streams properties for tracesift: exactly_once_v2, lz4 on the producer (changelogs shrink ~4.6×) with
     * 256 KB batches and a 10 ms linger, byte-array default serdes, one stream thread per core (at most 4: tasks spread
     * over threads, and a single thread would leave cores idle), {@link SpanStoreRocksDb} for the span store's
     * memtables, no task idling; then {@code overrides} (any Kafka client or Streams property, passed through
     * unchanged) win over every default.
     *
     * @param stateDir null to keep Kafka Streams' default
     */
    public static Properties streamsProperties(String applicationId, String bootstrapServers, String stateDir,
                                               Map<String, ?> overrides) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (stateDir != null) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        }
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Span groups are kilobytes: 16 KB batches meant a new (lz4-framed) batch every few records.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        // Under exactly-once every commit flushes the producer and the stream thread waits for it. Kafka Streams'
        // 100 ms linger kept most of a commit's records until that flush; sent as they fill, they are mostly acked
        // by then.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), LINGER_MS);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Math.min(4, Runtime.getRuntime().availableProcessors()));
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 32L * 1024 * 1024);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SpanStoreRocksDb.class.getName());
        // With the repartition a task also reads the repartition topic's partition, which is mostly empty. Under the
        // default (0) Kafka Streams checks that partition's fetched lag before every record and formats two log lines
        // doing so, whatever the log level: about 5 % of the stream threads in the benchmark. Assembly does not depend
        // on the order between the two inputs (decisions go by wall clock), so there is nothing to wait for.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        // A member learns that its group rebalances from a heartbeat's answer; until every member has rejoined, the
        // members that did wait with their tasks paused. The first start of an application mostly rebalances twice
        // (creating the repartition topic changes the subscribed topics' metadata), and at the consumer's default of
        // 3 s that second round left a stream thread of the benchmark's runs stopped for up to 2.4 s; instances
        // joining or leaving a group wait the same way. Heartbeats are small: one a second per stream thread.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), HEARTBEAT_MS);
        props.putAll(overrides);
        return props;
    }
}
