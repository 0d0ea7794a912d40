package io.tracesift.topology;

import io.tracesift.sampling.SpanView;
import io.tracesift.sampling.TraceView;

import java.util.Collections;
import java.util.List;

/** Decoded spans seen as one trace, e.g. a single span at ingest, for span metrics to ask the sampler about. */
final class AssembledTrace implements TraceView {
    private final String tenant;
    private final String traceIdHex;
    private final List<AssembledSpan> spans;

    AssembledTrace(String tenant, String traceIdHex, List<AssembledSpan> spans) {
        this.tenant = tenant;
        this.traceIdHex = traceIdHex;
        this.spans = spans;
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public String traceIdHex() {
        return traceIdHex;
    }

    @Override
    public List<SpanView> spans() {
        return Collections.unmodifiableList(spans);
    }
}
