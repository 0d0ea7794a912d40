package io.tracesift.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Answers across instances: a lookup by id goes to the partition's active instance, then its standbys (stale),
 * then asks every instance for an open trace; a search (and the service, operation and dependency lists) fans
 * out to every instance for its active partitions, re-asks standbys for the partitions of instances that
 * failed, and merges. One deadline bounds the whole request; whatever is missing at the deadline is named in
 * the answer's errors.
 */
final class ClusterTraceQueries implements TraceQueries {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterTraceQueries.class);
    private final Cluster cluster;
    private final InternalApi local;
    private final PeerClient peers;
    private final Duration timeout;

    ClusterTraceQueries(Cluster cluster, InternalApi local, PeerClient peers, Duration timeout) {
        this.cluster = cluster;
        this.local = local;
        this.peers = peers;
        this.timeout = timeout;
    }

    /**
     * Asks the partition's active instance (then its standbys) first; on a miss — the trace may be open, or live
     * in a tenant topic with another partition count — asks every instance about all its partitions and its
     * open traces. Kept traces win over open ones.
     */
    @Override
    public Answer<Optional<StoredTrace>> trace(TenantScope.Scoped scope, String traceIdHex) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<Cluster.Owner> owner = cluster.ownerOf(traceIdHex);
        if (owner.isPresent()) {
            List<Cluster.Host> hosts = new ArrayList<>();
            hosts.add(owner.get().active());
            hosts.addAll(owner.get().standbys());
            for (Cluster.Host host : hosts) {
                boolean stale = !host.equals(owner.get().active());
                Map<String, String> params = Map.of("traceID", traceIdHex,
                        "partitions", Integer.toString(owner.get().partition()), "stale", Boolean.toString(stale));
                try {
                    List<StoredTrace> found = PeerJson.tracesOf(call(host, "trace", params, scope, deadline));
                    if (!found.isEmpty()) {
                        StoredTrace t = found.get(0);
                        return new Answer<>(Optional.of(stale ? t.withWarning(StoredTrace.STALE) : t), List.of());
                    }
                    break;
                } catch (Exception e) {
                    LOG.debug("instance {} did not answer for trace partition {}", host, owner.get().partition(), e);
                }
            }
        }
        List<StoredTrace> found = new ArrayList<>();
        List<String> errors = fanOut(scope, "trace", Map.of("traceID", traceIdHex, "open", "true"),
                answer -> found.addAll(PeerJson.tracesOf(answer)), deadline);
        Optional<StoredTrace> best = found.stream()
                .min(java.util.Comparator.comparingInt(t -> t.warnings().contains(StoredTrace.IN_PROGRESS) ? 1 : 0));
        if (best.isPresent()) {
            return new Answer<>(best, List.of());
        }
        return new Answer<>(Optional.empty(), errors.stream().filter(e -> !e.startsWith("stale:")).toList());
    }

    @Override
    public Answer<List<StoredTrace>> search(TenantScope.Scoped scope, TraceSearch search) {
        Map<String, StoredTrace> byId = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        List<String> errors = fanOut(scope, "search", PeerJson.searchParams(search), answer -> {
            for (StoredTrace t : PeerJson.tracesOf(answer)) {
                byId.merge(t.traceIdHex(), t, (a, b) -> a.warnings().size() <= b.warnings().size() ? a : b);
            }
            warnings.addAll(PeerJson.strings(answer.path("warnings")));
        });
        errors.addAll(warnings);
        List<StoredTrace> merged = new ArrayList<>(byId.values());
        merged.sort(LocalTraceStore.NEWEST_FIRST);
        return new Answer<>(merged.size() > search.limit() ? List.copyOf(merged.subList(0, search.limit())) : merged,
                errors);
    }

    @Override
    public Answer<Set<String>> services(TenantScope.Scoped scope) {
        Set<String> services = new TreeSet<>();
        List<String> errors = fanOut(scope, "services", Map.of(),
                answer -> answer.path("services").forEach(s -> services.add(s.asText())));
        return new Answer<>(services, errors);
    }

    @Override
    public Answer<List<LocalTraceStore.Operation>> operations(TenantScope.Scoped scope, String service) {
        Set<LocalTraceStore.Operation> ops = new LinkedHashSet<>();
        List<String> errors = fanOut(scope, "operations", service == null ? Map.of() : Map.of("service", service),
                answer -> answer.path("operations").forEach(o -> ops.add(new LocalTraceStore.Operation(
                        o.path("service").asText(), o.path("name").asText(), o.path("spanKind").asInt()))));
        List<LocalTraceStore.Operation> sorted = new ArrayList<>(ops);
        sorted.sort(java.util.Comparator.comparing(LocalTraceStore.Operation::service)
                .thenComparing(LocalTraceStore.Operation::name).thenComparingInt(LocalTraceStore.Operation::spanKind));
        return new Answer<>(sorted, errors);
    }

    @Override
    public Answer<List<LocalTraceStore.Dependency>> dependencies(TenantScope.Scoped scope, long endMs, long lookbackMs) {
        Map<String, Long> calls = new java.util.TreeMap<>();
        List<String> errors = fanOut(scope, "dependencies",
                Map.of("endTs", Long.toString(endMs), "lookback", Long.toString(lookbackMs)),
                answer -> answer.path("dependencies").forEach(d -> calls.merge(
                        d.path("parent").asText() + '\u0000' + d.path("child").asText(),
                        d.path("callCount").asLong(), Long::sum)));
        List<LocalTraceStore.Dependency> out = new ArrayList<>();
        calls.forEach((k, v) -> {
            String[] pc = k.split("\u0000", 2);
            out.add(new LocalTraceStore.Dependency(pc[0], pc[1], v));
        });
        return new Answer<>(out, errors);
    }

    /**
     * Asks every instance for its active partitions, then standbys for the partitions of instances that failed.
     * Answers are handed to {@code merge} on this thread.
     *
     * @return what is missing from the merged answer
     */
    private List<String> fanOut(TenantScope.Scoped scope, String op, Map<String, String> params,
                                Consumer<JsonNode> merge) {
        return fanOut(scope, op, params, merge, System.nanoTime() + timeout.toNanos());
    }

    private List<String> fanOut(TenantScope.Scoped scope, String op, Map<String, String> params,
                                Consumer<JsonNode> merge, long deadline) {
        List<Cluster.Member> members = cluster.members();
        List<String> errors = new ArrayList<>();
        if (members.isEmpty()) {
            errors.add("the query state is not available yet (instances starting or rebalancing); retry shortly");
            return errors;
        }
        Map<Cluster.Member, CompletableFuture<JsonNode>> first = new LinkedHashMap<>();
        for (Cluster.Member m : members) {
            if (!m.active().isEmpty()) {
                first.put(m, callAsync(m.host(), op, withPartitions(params, m.active(), false), scope, deadline));
            }
        }
        Map<Cluster.Host, Set<Integer>> retry = new LinkedHashMap<>();
        Map<Cluster.Host, String> failures = new LinkedHashMap<>();
        Set<Integer> unanswered = new TreeSet<>();
        for (Map.Entry<Cluster.Member, CompletableFuture<JsonNode>> call : first.entrySet()) {
            try {
                merge.accept(await(call.getValue(), deadline));
            } catch (Exception e) {
                Cluster.Member failed = call.getKey();
                failures.put(failed.host(), reason(e));
                for (int partition : failed.active()) {
                    Optional<Cluster.Member> standby = members.stream()
                            .filter(m -> !m.host().equals(failed.host()) && m.standby().contains(partition))
                            .findFirst();
                    if (standby.isPresent()) {
                        retry.computeIfAbsent(standby.get().host(), h -> new TreeSet<>()).add(partition);
                    } else {
                        unanswered.add(partition);
                    }
                }
            }
        }
        Map<Cluster.Host, CompletableFuture<JsonNode>> second = new LinkedHashMap<>();
        retry.forEach((host, partitions) ->
                second.put(host, callAsync(host, op, withPartitions(params, partitions, true), scope, deadline)));
        for (Map.Entry<Cluster.Host, CompletableFuture<JsonNode>> call : second.entrySet()) {
            try {
                merge.accept(await(call.getValue(), deadline));
                errors.add("stale: partitions " + retry.get(call.getKey()) + " were answered by the standby replica on "
                        + call.getKey());
            } catch (Exception e) {
                unanswered.addAll(retry.get(call.getKey()));
                failures.put(call.getKey(), reason(e));
            }
        }
        failures.forEach((host, why) -> errors.add("instance " + host + " did not answer: " + why));
        if (!unanswered.isEmpty()) {
            errors.add("partial results: partitions " + unanswered + " could not be queried");
        }
        return errors;
    }

    private static Map<String, String> withPartitions(Map<String, String> params, Set<Integer> partitions, boolean stale) {
        Map<String, String> out = new LinkedHashMap<>(params);
        out.put("partitions", String.join(",", partitions.stream().map(String::valueOf).toList()));
        out.put("stale", Boolean.toString(stale));
        return out;
    }

    private JsonNode call(Cluster.Host host, String op, Map<String, String> params, TenantScope.Scoped scope,
                          long deadline) throws Exception {
        return await(callAsync(host, op, params, scope, deadline), deadline);
    }

    /** This instance answers itself directly; others over HTTP. */
    private CompletableFuture<JsonNode> callAsync(Cluster.Host host, String op, Map<String, String> params,
                                                  TenantScope.Scoped scope, long deadline) {
        if (host.equals(cluster.self())) {
            try {
                return CompletableFuture.completedFuture(local.answerHere(scope.tenant(), op, toParameters(params)));
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        return peers.get(host, op, params, scope, Duration.ofMillis(remainingMs));
    }

    private static RequestParameters toParameters(Map<String, String> params) {
        StringBuilder raw = new StringBuilder();
        params.forEach((k, v) -> raw.append(raw.isEmpty() ? "" : "&")
                .append(java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return RequestParameters.parse(raw.toString(), InternalApi.PARAMETERS);
    }

    private static JsonNode await(CompletableFuture<JsonNode> future, long deadline) throws Exception {
        long remaining = deadline - System.nanoTime();
        try {
            return future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TimeoutException("no answer before the request deadline");
        }
    }

    private static String reason(Exception e) {
        if (e instanceof InvalidStateStoreException) {
            return "its query state is not ready (" + e.getMessage() + ")";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

}
