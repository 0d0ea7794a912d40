package io.tracesift.topology;

import io.tracesift.sampling.SpanView;
import io.tracesift.sampling.TraceView;

import java.util.List;

/** Decoded spans seen as one trace, e.g. a single span at ingest, for span metrics to ask the sampler about. */
record AssembledTrace(String tenant, String traceIdHex, List<SpanView> spans) implements TraceView {
}
