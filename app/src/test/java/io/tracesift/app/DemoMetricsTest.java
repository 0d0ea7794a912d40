package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoMetricsTest {

    private static final String EXPOSITION = """
            # HELP tracesift_traces_decided_total Traces decided, by decision and rule.
            # TYPE tracesift_traces_decided_total counter
            tracesift_traces_decided_total{decision="keep",rule="error"} 4.0
            tracesift_traces_decided_total{decision="keep",rule="slow"} 2.0
            tracesift_traces_decided_total{decision="drop",rule="probabilistic"} 30.0
            tracesift_spans_received_total 1200.0
            tracesift_open_traces 7.0
            tracesift_dlq_records_total{reason="bad-payload"} 1.0
            tracesift_dlq_records_total{reason="invalid-tenant"} 2.0
            traces_spanmetrics_calls_total{tenant="acme",service="a \\"quoted\\" name",partition="0"} 5.0
            traces_spanmetrics_calls_total{tenant="globex",service="b",partition="1"} 3.0
            """;

    @Test
    void readsTheProgressFiguresFromTheExposition() {
        DemoMetrics m = DemoMetrics.parse(EXPOSITION);
        assertThat(m.keptByRule()).isEqualTo(Map.of("error", 4.0, "slow", 2.0));
        assertThat(m.droppedByRule()).isEqualTo(Map.of("probabilistic", 30.0));
        assertThat(m.spansReceived()).isEqualTo(1200.0);
        assertThat(m.openTraces()).isEqualTo(7.0);
        assertThat(m.deadLetters()).isEqualTo(3.0);
        assertThat(m.tenants()).containsExactly("acme", "globex");
        assertThat(DemoMetrics.samples(EXPOSITION)).anySatisfy(s ->
                assertThat(s.labels()).containsEntry("service", "a \\\"quoted\\\" name"));
    }

    @Test
    void progressLineShowsTheRateSinceThePreviousReadingAndTheRules() {
        DemoMetrics before = DemoMetrics.parse("tracesift_spans_received_total 200.0\n");
        String line = DemoMetrics.parse(EXPOSITION).progressLine(before, 5.0, 3, 12);
        assertThat(line).isEqualTo("in 200 spans/s (1200 total) | kept 6 (error 4, slow 2) | dropped 30 (probabilistic 30)"
                + " | open 7 | tenants 3 | DLQ 3 | gateway 12 spans");
        assertThat(DemoMetrics.parse("").progressLine(null, 5.0, 0, 0)).startsWith("in 0 spans/s (0 total) | kept 0 | dropped 0");
        // The first line: counted from zero, the process's counters start with it.
        assertThat(DemoMetrics.parse(EXPOSITION).progressLine(null, 6.0, 3, 0)).startsWith("in 200 spans/s (1200 total)");
    }
}
