package io.tracesift.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FreshnessPhaseTest {
    @Test
    void sumsTheProbeTenantsCallsOverPartitionsInTheClassicTextFormat() {
        String body = """
                # HELP traces_spanmetrics_calls_total Spans.
                # TYPE traces_spanmetrics_calls_total counter
                traces_spanmetrics_calls_total{tenant="acme",service="cart",partition="0"} 41.0
                traces_spanmetrics_calls_total{tenant="bench-probe",service="freshness-probe",partition="0"} 3.0
                traces_spanmetrics_calls_total{tenant="bench-probe",service="freshness-probe",partition="3"} 4.0
                traces_spanmetrics_size_total{tenant="bench-probe",service="freshness-probe",partition="3"} 400.0
                traces_spanmetrics_latency_count{tenant="bench-probe",service="freshness-probe",partition="3"} 4
                """;
        assertThat(FreshnessPhase.probeCalls(body)).isEqualTo(7.0);
    }

    @Test
    void readsOpenMetricsSamplesWithExemplarsAndIgnoresOtherTenantsWithTheSamePrefix() {
        String body = """
                # TYPE traces_spanmetrics_calls counter
                traces_spanmetrics_calls_total{tenant="bench-probe-2",partition="1"} 9.0
                traces_spanmetrics_calls_total{tenant="bench-probe",partition="1"} 2.0 # {trace_id="ab"} 1.0 1700000000.000
                traces_spanmetrics_calls_created{tenant="bench-probe",partition="1"} 1700000000.000
                # EOF
                """;
        assertThat(FreshnessPhase.probeCalls(body)).isEqualTo(2.0);
    }

    @Test
    void nothingYetIsZero() {
        assertThat(FreshnessPhase.probeCalls("# EOF\n")).isZero();
    }
}
