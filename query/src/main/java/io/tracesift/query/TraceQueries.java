package io.tracesift.query;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The questions the HTTP API asks, already scoped to one tenant; answers say what may be missing. */
public interface TraceQueries {
    /**
     * @param value  the answer (possibly partial)
     * @param errors why it may be partial (an instance did not answer in time, state not ready); empty if complete
     */
    record Answer<T>(T value, List<String> errors) {
        public Answer {
            errors = List.copyOf(errors);
        }
    }

    Answer<Optional<StoredTrace>> trace(TenantScope.Scoped scope, String traceIdHex);

    Answer<List<StoredTrace>> search(TenantScope.Scoped scope, TraceSearch search);

    Answer<Set<String>> services(TenantScope.Scoped scope);

    /** @param service null for every service */
    Answer<List<LocalTraceStore.Operation>> operations(TenantScope.Scoped scope, String service);

    Answer<List<LocalTraceStore.Dependency>> dependencies(TenantScope.Scoped scope, long endMs, long lookbackMs);
}
