package io.tracesift.query;

import io.tracesift.tenantrouting.TenantId;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service-graph edges of single hours already read from a partition's edge store, each kept while the hour's
 * revision is unchanged. A day's answer is ~25 hours of every edge per partition; only hours that changed since
 * (the current one, mostly) are read again. Least recently used hours go first beyond {@link #MAX_EDGES}.
 */
final class EdgeHours {
    static final int MAX_EDGES = 200_000;

    private record Key(int partition, TenantId tenant, long hourMs) {
    }

    private record Hour(byte[] revision, List<LocalTraceStore.Dependency> edges) {
    }

    private final Map<Key, Hour> hours = new LinkedHashMap<>(64, 0.75f, true);
    private int edges;

    /** The hour's edges as read at {@code revision}, or null when not kept or kept at another revision. */
    synchronized List<LocalTraceStore.Dependency> get(int partition, TenantId tenant, long hourMs, byte[] revision) {
        Hour hour = hours.get(new Key(partition, tenant, hourMs));
        return hour != null && Arrays.equals(hour.revision(), revision) ? hour.edges() : null;
    }

    synchronized void put(int partition, TenantId tenant, long hourMs, byte[] revision,
                          List<LocalTraceStore.Dependency> hourEdges) {
        Hour old = hours.put(new Key(partition, tenant, hourMs), new Hour(revision.clone(), List.copyOf(hourEdges)));
        edges += hourEdges.size() - (old == null ? 0 : old.edges().size());
        Iterator<Hour> eldest = hours.values().iterator();
        while (edges > MAX_EDGES && eldest.hasNext()) {
            edges -= eldest.next().edges().size();
            eldest.remove();
        }
    }
}
