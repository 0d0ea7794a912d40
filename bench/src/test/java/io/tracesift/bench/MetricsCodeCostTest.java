package io.tracesift.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsCodeCostTest {
    @Test
    void measuresTheMetricsCodeOverEverySpanOfTheInput() {
        WorkflowInput input = new WorkflowInput(42, 20_000, Benchmark.TENANTS, InputGrouping.SERVICE);
        long[] spans = {0};
        input.writeTo(new InputTopic.Writer() {
            @Override
            public void write(String tenant, String traceIdHex,
                              ExportTraceServiceRequest request, int spanCount) {
                spans[0] += spanCount;
            }

            @Override
            public void traceDone() {
            }
        });

        MetricsCodeCost cost = MetricsCodeCost.measure(input, 5);

        assertThat(cost.spans()).isEqualTo(spans[0]).isGreaterThan(15_000);
        assertThat(cost.rounds()).isEqualTo(5);
        // Recording a span's metrics looks up attributes and updates several series: never free.
        assertThat(cost.nanosPerSpan()).isPositive().isFinite();
        // Every span is scanned and checked: ingest's own pass costs something too.
        assertThat(cost.ingestNanosPerSpan()).isPositive().isFinite();
        // Each part alone counts every span too, and costs less than both together.
        assertThat(cost.redNanosPerSpan()).isPositive().isLessThan(cost.nanosPerSpan());
        assertThat(cost.agentNanosPerSpan()).isPositive().isLessThan(cost.nanosPerSpan());
    }

    @Test
    void comparesItselfWithThePipelinesCpuPerSpan() {
        MetricsCodeCost cost = new MetricsCodeCost(600, 1_400, 150, 450, 100_000, 21);

        assertThat(cost.shareOf(15)).isCloseTo(0.04, within(1e-9));
        assertThat(cost.describe(15)).isEqualTo("metrics code in isolation: 600 ns/span (span, agent and workflow"
                + " metrics of 100,000 main-input spans as ingest scans and checks them, one thread, in-memory store, median of 21"
                + " rounds), 0.040 of the median metrics-off CPU per span until decided (15.00 us): a lower bound of the share, without"
                + " the service graph, commit writes or cache misses");
        assertThat(cost.describeParts(15)).isEqualTo("metrics code in isolation by part: span metrics alone (Tempo's"
                + " calls, size and latency series; no attribute lookup) 150 ns/span, 0.010 of the median metrics-off CPU"
                + " per span until decided; agent and workflow metrics alone (every span's GenAI attributes) 450 ns/span,"
                + " 0.030");
        assertThat(cost.describeIngest()).isEqualTo("ingest code in isolation: 1400 ns/span (the same spans scanned,"
                + " checked for redaction and held with their resource's service name, without metrics, median of 21 rounds)");
    }
}
