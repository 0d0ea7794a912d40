package io.tracesift.query;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Recent kept traces as queryable state, fed from the pipeline's own output: every {@code traces.<tenant>}
 * topic (tenant taken from the topic name), chunks reassembled, kept for {@link QuerySettings#retention()},
 * with search indexes. Reading the output rather than the core's stores keeps the two decoupled and makes the
 * query state rebuildable from the topics alone.
 *
 * <p>Lookups must be routed by the trace id: every tenant topic is keyed by the 32-hex trace id and all tenant
 * topics are expected to have the same partition count, so one trace id lands in the same partition (and task)
 * for every tenant.
 */
public final class RecentTraces {
    /** Tenant topics this feed subscribes to; new tenants' topics are picked up on the consumer's metadata refresh. */
    public static final Pattern TOPICS = Pattern.compile("traces\\.[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    /** {@link TraceSummary} per trace, key {@code [tenant][trace id]}. */
    public static final String TRACES_STORE = "tracesift-query-traces";
    /** Raw OTLP protobuf records of each trace, key {@code [tenant][trace id][seq]}. */
    public static final String CHUNKS_STORE = "tracesift-query-chunks";
    /**
     * Search index, key {@code [tenant][service or ""][start µs][trace id]}, value duration µs, error flag and the
     * trace's record count (so a search reads a trace's chunks without its summary).
     */
    public static final String INDEX_STORE = "tracesift-query-index";
    /** Operations per service, key {@code [tenant][service][kind][name]}, value last seen (ms). */
    public static final String OPERATIONS_STORE = "tracesift-query-operations";
    /**
     * Service-graph edges from kept traces per hour, key {@code [tenant][hour][parent][child]}, value calls; and
     * per hour, key {@code [tenant][hour]}, its revision (created ms, updates), so readers can keep an hour's edges.
     */
    public static final String EDGES_STORE = "tracesift-query-edges";
    /** Arrival order for expiry, key {@code [arrival ms][tenant][trace id]}. */
    public static final String EXPIRY_STORE = "tracesift-query-expiry";
    public static final String FEED_PROCESSOR = "tracesift-query-feed";

    static final List<String> STORES = List.of(TRACES_STORE, CHUNKS_STORE, INDEX_STORE, OPERATIONS_STORE,
            EDGES_STORE, EXPIRY_STORE);
    /**
     * Only operations and edges rewrite the same few keys for every trace, which a cache folds into one write per
     * commit. Every other key is written about once per trace: there a cache only adds a sorted-map insert to each
     * put and a merge with RocksDB to each read and scan (measured by {@code tracesift bench query}: most of the
     * feed's and the searches' time).
     */
    static final List<String> CACHED_STORES = List.of(OPERATIONS_STORE, EDGES_STORE);

    private RecentTraces() {
    }

    /** Adds the feed (source on {@link #TOPICS}, processor, six persistent changelogged stores) to {@code builder}. */
    public static void addTo(StreamsBuilder builder, QuerySettings settings) {
        for (String name : STORES) {
            StoreBuilder<KeyValueStore<Bytes, byte[]>> store = Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray());
            builder.addStateStore(CACHED_STORES.contains(name) ? store.withCachingEnabled() : store.withCachingDisabled());
        }
        builder.stream(TOPICS, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("tracesift-query-source"))
                .process(() -> new RecentTracesProcessor(settings), Named.as(FEED_PROCESSOR),
                        STORES.toArray(String[]::new));
    }
}
