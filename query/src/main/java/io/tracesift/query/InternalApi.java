package io.tracesift.query;

import io.tracesift.tenantrouting.TenantId;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one instance answers from its own state for another (or for itself): the operations behind
 * {@code /internal/query/<op>}. Each works on explicitly named partitions so a standby can stand in for exactly
 * the partitions of an instance that is down.
 */
final class InternalApi {
    static final Set<String> OPS = Set.of("trace", "search", "services", "operations", "dependencies");
    static final Set<String> PARAMETERS = Set.of("traceID", "open", "partitions", "stale", "service", "operation",
            "tags", "startUs", "endUs", "minUs", "maxUs", "limit", "endTs", "lookback");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final LocalTraceStore local;
    private final OpenTraceSource open;

    InternalApi(LocalTraceStore local, OpenTraceSource open) {
        this.local = local;
        this.open = open;
    }

    /** The answer for another instance: traces encoded for the wire. */
    ObjectNode answer(TenantId tenant, String op, RequestParameters p) {
        return answer(tenant, op, p, true);
    }

    /** The answer for this instance itself: traces as they are (no protobuf/base64 round trip). */
    ObjectNode answerHere(TenantId tenant, String op, RequestParameters p) {
        return answer(tenant, op, p, false);
    }

    private ObjectNode answer(TenantId tenant, String op, RequestParameters p, boolean wire) {
        boolean stale = "true".equals(p.single("stale"));
        return switch (op) {
            case "trace" -> {
                String id = JaegerParameters.traceId(p.single("traceID"));
                yield PeerJson.traces(trace(tenant, id, partitions(p), stale, "true".equals(p.single("open")))
                        .map(List::of).orElse(List.of()), List.of(), wire);
            }
            case "search" -> {
                TraceSearch search = PeerJson.searchOf(p);
                LocalTraceStore.Found found = local.search(tenant, search, partitions(p), stale);
                List<StoredTrace> traces = new ArrayList<>(found.traces());
                if (!stale) {
                    traces.addAll(openMatching(tenant, search));
                }
                yield PeerJson.traces(traces, found.warnings(), wire);
            }
            case "services" -> {
                ObjectNode out = NODES.objectNode();
                ArrayNode list = out.putArray("services");
                local.services(tenant, partitions(p), stale).forEach(list::add);
                yield out;
            }
            case "operations" -> {
                ObjectNode out = NODES.objectNode();
                ArrayNode list = out.putArray("operations");
                for (LocalTraceStore.Operation o : local.operations(tenant, p.single("service"), partitions(p), stale)) {
                    list.addObject().put("service", o.service()).put("name", o.name()).put("spanKind", o.spanKind());
                }
                yield out;
            }
            case "dependencies" -> {
                ObjectNode out = NODES.objectNode();
                ArrayNode list = out.putArray("dependencies");
                for (LocalTraceStore.Dependency d : local.dependencies(tenant, PeerJson.number(p, "endTs"),
                        PeerJson.number(p, "lookback"), partitions(p), stale)) {
                    list.addObject().put("parent", d.parent()).put("child", d.child()).put("callCount", d.callCount());
                }
                yield out;
            }
            default -> throw new BadRequest("unknown internal query '" + op + "'; valid: " + OPS);
        };
    }

    /** A kept trace from the named partitions, else (when asked) an open trace of this instance. */
    private Optional<StoredTrace> trace(TenantId tenant, String id, List<Integer> partitions, boolean stale,
                                        boolean includeOpen) {
        for (int partition : partitions) {
            Optional<StoredTrace> kept = local.trace(tenant, id, partition, stale);
            if (kept.isPresent()) {
                return kept;
            }
        }
        return includeOpen ? open.find(tenant, id).map(spans -> StoredTrace.inProgress(id, spans)) : Optional.empty();
    }

    /**
     * This instance's open traces that match the search. Open traces are held by the instance, not by the query
     * stores' partitions, so only first-hand (not stale) searches include them: each instance adds its own once.
     */
    private List<StoredTrace> openMatching(TenantId tenant, TraceSearch search) {
        List<StoredTrace> out = new ArrayList<>();
        boolean spanFilters = search.service() != null || search.operation() != null || !search.tags().isEmpty();
        open.list(tenant, search.limit()).forEach((id, spans) -> {
            StoredTrace t = StoredTrace.inProgress(id, spans);
            long startUs = t.startNs() / 1000;
            if (t.spanCount() > 0 && startUs >= search.startUs() && startUs <= search.endUs()
                    && search.durationMatches(t.durationNs() / 1000)
                    && (!spanFilters || SpanMatcher.matches(spans, search.service(), search.operation(), search.tags()))) {
                out.add(t);
            }
        });
        return out;
    }

    /** {@code partitions=1,3,4}; absent means this instance's active partitions. */
    private List<Integer> partitions(RequestParameters p) {
        String text = p.single("partitions");
        if (text == null) {
            return List.copyOf(local.activePartitions());
        }
        List<Integer> out = new ArrayList<>();
        for (String s : text.split(",")) {
            try {
                out.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new BadRequest("partitions must be comma-separated partition numbers");
            }
        }
        return out;
    }
}
