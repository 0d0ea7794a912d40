package io.tracesift.aggregation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * histograms, with exemplars when the trace is kept; absurd durations are left out.
 */
public final class ServiceGraph {
    public static final String USER = "user";

    private final double[] buckets;

    public ServiceGraph(double[] buckets) {
        this.buckets = buckets.clone();
    }

    /** Appends the edges of one whole trace (all spans of one tenant and trace id) to {@code out}. */
    public void addUpdates(List<SpanSample> trace, List<SeriesUpdate> out) {
        Map<String, SpanSample> byId = new HashMap<>(trace.size() * 2);
        for (SpanSample s : trace) {
            if (!s.spanIdHex().isEmpty()) {
                byId.put(s.spanIdHex(), s);
            }
        }
        Set<String> pairedCallers = new HashSet<>();
        for (SpanSample s : trace) {
            boolean server = s.kind() == SpanSample.KIND_SERVER;
            if (!server && s.kind() != SpanSample.KIND_CONSUMER) {
                continue;
            }
            if (s.isRoot()) {
                edge(s.tenant(), USER, s.service(), "virtual_node", null, s, out);
                continue;
            }
            SpanSample parent = byId.get(s.parentSpanIdHex());
            int callerKind = server ? SpanSample.KIND_CLIENT : SpanSample.KIND_PRODUCER;
            if (parent != null && parent.kind() == callerKind) {
                pairedCallers.add(parent.spanIdHex());
                edge(s.tenant(), parent.service(), s.service(), server ? "" : "messaging_system", parent, s, out);
            } else {
                unpaired(s.tenant(), "", s.service(), out);
            }
        }
        for (SpanSample s : trace) {
            if ((s.kind() == SpanSample.KIND_CLIENT || s.kind() == SpanSample.KIND_PRODUCER)
                    && !pairedCallers.contains(s.spanIdHex())) {
                virtualServer(s, out);
            }
        }
    }

    private void virtualServer(SpanSample caller, List<SeriesUpdate> out) {
        String dbSystem = first(caller, "db.system.name", "db.system");
        String messaging = caller.attributeText("messaging.system");
        if (caller.kind() == SpanSample.KIND_CLIENT && dbSystem != null) {
            String node = first(caller, "db.namespace", "db.name");
            edge(caller.tenant(), caller.service(), node != null ? node : dbSystem, "database", caller, null, out);
        } else if (caller.kind() == SpanSample.KIND_PRODUCER && messaging != null) {
            String node = caller.attributeText("messaging.destination.name");
            edge(caller.tenant(), caller.service(), node != null ? node : messaging, "messaging_system", caller, null, out);
        } else {
            String peer = first(caller, "peer.service", "server.address");
            if (peer != null) {
                edge(caller.tenant(), caller.service(), peer, "virtual_node", caller, null, out);
            } else {
                unpaired(caller.tenant(), caller.service(), "", out);
            }
        }
    }

    private void edge(String tenant, String client, String server, String connectionType,
                      SpanSample clientSpan, SpanSample serverSpan, List<SeriesUpdate> out) {
        // One immutable label list shared by the edge's keys (SeriesKey's List.copyOf keeps it as is).
        List<Label> labels = List.of(new Label("client", client), new Label("server", server),
                new Label("connection_type", connectionType));
        out.add(new SeriesUpdate(new SeriesKey(tenant, MetricFamilies.GRAPH_REQUESTS.name(), labels), CounterValue.ONE));
        if (clientSpan != null && clientSpan.isError() || serverSpan != null && serverSpan.isError()) {
            out.add(new SeriesUpdate(new SeriesKey(tenant, MetricFamilies.GRAPH_FAILED.name(), labels), CounterValue.ONE));
        }
        duration(tenant, MetricFamilies.GRAPH_SERVER_SECONDS, labels, serverSpan, out);
        duration(tenant, MetricFamilies.GRAPH_CLIENT_SECONDS, labels, clientSpan, out);
    }

    private void duration(String tenant, MetricFamily family, List<Label> labels, SpanSample span, List<SeriesUpdate> out) {
        if (span != null && SpanMetrics.invalidDurationReason(span.durationNanos()) == null) {
            out.add(new SeriesUpdate(new SeriesKey(tenant, family.name(), labels), SpanMetrics.observation(span, buckets)));
        }
    }

    private static void unpaired(String tenant, String client, String server, List<SeriesUpdate> out) {
        out.add(new SeriesUpdate(SeriesKey.of(tenant, MetricFamilies.GRAPH_UNPAIRED.name(), "client", client, "server", server),
                CounterValue.ONE));
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
