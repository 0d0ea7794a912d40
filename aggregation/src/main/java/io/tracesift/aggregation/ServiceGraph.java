package io.tracesift.aggregation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Service-graph edges of one whole trace, under Grafana Tempo's names and labels (client, server,
 * connection_type) so Grafana's service map works unchanged.
 *
 * <ul>
 *   <li>A SERVER span whose parent is a CLIENT span is one request client service -> server service; a CONSUMER
 *       span whose parent is a PRODUCER span is one with connection_type {@code messaging_system}. As in Tempo,
 *       the services may be the same (a service calling itself).</li>
 *   <li>A CLIENT span without such a child that carries {@code db.system.name} or {@code db.system} is a request to
 *       a database node named by {@code db.namespace}, {@code db.name}, {@code db.system.name} or {@code db.system}
 *       (the first present), connection_type {@code database}. A PRODUCER span without a consumer child that
 *       carries {@code messaging.system} goes to the node {@code messaging.destination.name} (else the system),
 *       connection_type {@code messaging_system}. Any other CLIENT or PRODUCER span carrying {@code peer.service}
 *       (else {@code server.address}) goes to that node, connection_type {@code virtual_node}.</li>
 *   <li>A root SERVER or CONSUMER span is a request from the virtual client {@code user}, connection_type
 *       {@code virtual_node} (Tempo's convention for uninstrumented callers).</li>
 *   <li>Every other CLIENT/PRODUCER span without a child and SERVER/CONSUMER span whose parent is missing or of
 *       another kind counts in {@code traces_service_graph_unpaired_spans_total} (the other side's label empty).</li>
 * </ul>
 * A request fails when either present side has status error. Server and client durations go to their
 * histograms, with exemplars when the trace is kept (as often as {@link SeriesAccumulator.Series#wantsExemplar}
 * allows); absurd durations are left out. Counted into one accumulator through a cache of series handles, as
 * {@link SpanMetrics} does. One instance per accumulator; not thread-safe.
 */
public final class ServiceGraph {
    public static final String USER = "user";

    private static final String EDGE = "edge";
    private static final String UNPAIRED = "unpaired";

    private final double[] buckets;
    private final SeriesAccumulator accumulator;
    /**
     * The handles of each edge seen (requests, failed, server seconds, client seconds) and of each unpaired pair
     * (one counter), by tenant, edge or unpaired, client, server, connection type.
     */
    private final Map<LabelTuple, SeriesAccumulator.Series[]> series = new HashMap<>();
    private final LabelTuple probe = new LabelTuple(5);
    private int generation;

    public ServiceGraph(double[] buckets, SeriesAccumulator accumulator) {
        this.buckets = buckets.clone();
        this.accumulator = accumulator;
        this.generation = accumulator.generation();
    }

    /**
     * Counts the edges of one whole trace (all spans of one tenant and trace id). Only its server, client, producer
     * and consumer spans count; spans of other kinds may be left out of {@code trace}.
     *
     * @param nowMillis the wall-clock time, for the exemplar interval ({@link SeriesAccumulator.Series#wantsExemplar})
     */
    public void record(List<SpanSample> trace, long nowMillis) {
        SpansById byId = new SpansById(trace);
        boolean[] pairedCallers = new boolean[trace.size()];
        for (SpanSample s : trace) {
            boolean server = s.kind() == SpanSample.KIND_SERVER;
            if (!server && s.kind() != SpanSample.KIND_CONSUMER) {
                continue;
            }
            if (s.isRoot()) {
                edge(s.tenant(), USER, s.service(), "virtual_node", null, s, nowMillis);
                continue;
            }
            int p = byId.indexOf(s.parentSpanId());
            SpanSample parent = p < 0 ? null : trace.get(p);
            int callerKind = server ? SpanSample.KIND_CLIENT : SpanSample.KIND_PRODUCER;
            if (parent != null && parent.kind() == callerKind) {
                pairedCallers[p] = true;
                edge(s.tenant(), parent.service(), s.service(), server ? "" : "messaging_system", parent, s, nowMillis);
            } else {
                unpaired(s.tenant(), "", s.service());
            }
        }
        for (int i = 0; i < trace.size(); i++) {
            SpanSample s = trace.get(i);
            if ((s.kind() == SpanSample.KIND_CLIENT || s.kind() == SpanSample.KIND_PRODUCER) && !pairedCallers[i]) {
                virtualServer(s, nowMillis);
            }
        }
    }

    /**
     * The trace's spans by span id, in an open-addressing table of primitive ids (no boxing, no strings). A span id sent
     * twice keeps its last span, as a map would; unknown ids (0) are left out.
     */
    private static final class SpansById {
        private final long[] ids;
        private final int[] positions;
        private final int mask;
        private final int shift;

        SpansById(List<SpanSample> trace) {
            int capacity = Integer.highestOneBit(Math.max(4, trace.size() * 2 - 1)) << 1;
            ids = new long[capacity];
            positions = new int[capacity];
            mask = capacity - 1;
            shift = 32 - Integer.numberOfTrailingZeros(capacity);
            for (int i = 0; i < trace.size(); i++) {
                long id = trace.get(i).spanId();
                if (id != 0) {
                    int slot = slot(id);
                    ids[slot] = id;
                    positions[slot] = i;
                }
            }
        }

        /** The position in the trace of the span with this id, or -1. */
        int indexOf(long id) {
            if (id == 0) {
                return -1;
            }
            int slot = slot(id);
            return ids[slot] == id ? positions[slot] : -1;
        }

        /** The slot holding {@code id}, else the empty slot where it would go. */
        private int slot(long id) {
            // Fibonacci hashing: the multiply's top bits depend on every bit of the id.
            int slot = (int) (id ^ id >>> 32) * 0x9E3779B9 >>> shift;
            while (ids[slot] != 0 && ids[slot] != id) {
                slot = slot + 1 & mask;
            }
            return slot;
        }
    }

    private void virtualServer(SpanSample caller, long nowMillis) {
        // Each lookup of an absent key walks the span's and the resource's attributes: ask only what the kind uses.
        boolean client = caller.kind() == SpanSample.KIND_CLIENT;
        String dbSystem = client ? first(caller, "db.system.name", "db.system") : null;
        String messaging = client ? null : caller.attributeText("messaging.system");
        if (dbSystem != null) {
            String node = first(caller, "db.namespace", "db.name");
            edge(caller.tenant(), caller.service(), node != null ? node : dbSystem, "database", caller, null, nowMillis);
        } else if (messaging != null) {
            String node = caller.attributeText("messaging.destination.name");
            edge(caller.tenant(), caller.service(), node != null ? node : messaging, "messaging_system", caller, null, nowMillis);
        } else {
            String peer = first(caller, "peer.service", "server.address");
            if (peer != null) {
                edge(caller.tenant(), caller.service(), peer, "virtual_node", caller, null, nowMillis);
            } else {
                unpaired(caller.tenant(), caller.service(), "");
            }
        }
    }

    private void edge(String tenant, String client, String server, String connectionType,
                      SpanSample clientSpan, SpanSample serverSpan, long nowMillis) {
        SeriesAccumulator.Series[] s = series(tenant, EDGE, client, server, connectionType);
        s[0].count(1);
        if (clientSpan != null && clientSpan.isError() || serverSpan != null && serverSpan.isError()) {
            s[1].count(1);
        }
        duration(s[2], serverSpan, nowMillis);
        duration(s[3], clientSpan, nowMillis);
    }

    private void duration(SeriesAccumulator.Series histogram, SpanSample span, long nowMillis) {
        if (span != null && SpanMetrics.invalidDurationReason(span.durationNanos()) == null) {
            SpanMetrics.observe(histogram, buckets, span, ExemplarSource.of(span), nowMillis);
        }
    }

    private void unpaired(String tenant, String client, String server) {
        series(tenant, UNPAIRED, client, server, "")[0].count(1);
    }

    private SeriesAccumulator.Series[] series(String tenant, String kind, String client, String server, String connectionType) {
        if (generation != accumulator.generation()) {
            series.clear();
            generation = accumulator.generation();
        }
        SeriesAccumulator.Series[] s = series.get(probe.set(0, tenant).set(1, kind).set(2, client).set(3, server)
                .set(4, connectionType).rehash());
        if (s == null) {
            if (series.size() >= SpanMetrics.MAX_CACHED) {
                series.clear();
            }
            if (kind.equals(EDGE)) {
                // One immutable label list shared by the edge's keys (SeriesKey's List.copyOf keeps it as is).
                List<Label> labels = List.of(new Label("client", client), new Label("server", server),
                        new Label("connection_type", connectionType));
                s = new SeriesAccumulator.Series[] {
                        accumulator.series(new SeriesKey(tenant, MetricFamilies.GRAPH_REQUESTS.name(), labels)),
                        accumulator.series(new SeriesKey(tenant, MetricFamilies.GRAPH_FAILED.name(), labels)),
                        accumulator.series(new SeriesKey(tenant, MetricFamilies.GRAPH_SERVER_SECONDS.name(), labels)),
                        accumulator.series(new SeriesKey(tenant, MetricFamilies.GRAPH_CLIENT_SECONDS.name(), labels))};
            } else {
                s = new SeriesAccumulator.Series[] {accumulator.series(SeriesKey.of(tenant,
                        MetricFamilies.GRAPH_UNPAIRED.name(), "client", client, "server", server))};
            }
            series.put(probe.copy(), s);
        }
        return s;
    }

    private static String first(SpanSample span, String... keys) {
        for (String key : keys) {
            String value = span.attributeText(key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }
}
