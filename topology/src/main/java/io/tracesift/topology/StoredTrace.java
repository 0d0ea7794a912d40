package io.tracesift.topology;

import io.tracesift.sampling.SpanView;
import io.tracesift.sampling.TraceView;
import io.tracesift.serdes.ScannedSpan;
import io.tracesift.serdes.SpanOrigin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A whole (or truncated) trace read back from its stored span groups at decision time. The spans are scanned, not
 * decoded: most traces are dropped, and a decision looks at a few fields of each span only.
 */
record StoredTrace(String tenant, String traceIdHex, List<StoredSpan> storedSpans) implements TraceView {
    static StoredTrace of(String tenant, String traceIdHex, List<SpanGroup> groups) {
        List<StoredSpan> spans = new ArrayList<>();
        for (SpanGroup group : groups) {
            SpanOrigin resource = null;
            String service = null;
            for (ScannedSpan span : group.spans()) {
                if (span.resource() != resource) {
                    resource = span.resource();
                    service = AssembledSpan.serviceName(span.resourceAttribute(AssembledSpan.SERVICE_NAME));
                }
                spans.add(new StoredSpan(span, service));
            }
        }
        return new StoredTrace(tenant, traceIdHex, spans);
    }

    @Override
    public List<SpanView> spans() {
        return Collections.unmodifiableList(storedSpans);
    }
}
