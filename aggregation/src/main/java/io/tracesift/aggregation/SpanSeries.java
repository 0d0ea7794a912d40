package io.tracesift.aggregation;

/**
 * Every per-span metric (span metrics, agents, tools, models, tokens, workflow runs) counted into one accumulator.
 * One instance per accumulator; not thread-safe.
 */
public final class SpanSeries {
    private final SpanMetrics spanMetrics;
    private final AgentMetrics agentMetrics;

    SpanSeries(SpanMetrics spanMetrics, AgentMetrics agentMetrics) {
        this.spanMetrics = spanMetrics;
        this.agentMetrics = agentMetrics;
    }

    /**
     * Counts one span (in the accumulator until its next flush). Exemplars come from {@code exemplars}, asked only when
     * a histogram wants one; pass {@code ExemplarSource.of(span)} when the sample itself says whether its trace is kept.
     *
     * @param nowMillis the wall-clock time, for the exemplar interval ({@link SeriesAccumulator.Series#wantsExemplar})
     */
    public void record(SpanSample span, ExemplarSource exemplars, long nowMillis) {
        spanMetrics.record(span, exemplars, nowMillis);
        agentMetrics.record(span, exemplars, nowMillis);
    }
}
