package io.tracesift.topology;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;

import static io.tracesift.topology.Otlp.DROPPED_BY_CHANCE;
import static io.tracesift.topology.Otlp.request;
import static io.tracesift.topology.Otlp.span;
import static io.tracesift.topology.Otlp.traceId;
import static io.tracesift.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The open-traces gauges each assembly task reports at its punctuation. */
class OpenTraceGaugeTest {

    @Test
    void countsOpenTracesAndTheOldestFirstArrivalAsTracesOpenAndAreDecided() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString rootless = traceId(1, DROPPED_BY_CHANCE);
            f.send("acme", request("worker", span(rootless, 2, 1, T0, T0 + 10, false)));
            f.advance(Duration.ofSeconds(10));
            assertThat(open(f)).isEqualTo(1);
            assertThat(oldest(f)).isEqualTo(T0);

            // Two more traces, 10 s later; a second span of the first trace does not open it again.
            long later = f.now();
            f.send("acme", request("web", span(traceId(2, DROPPED_BY_CHANCE), 1, 0, T0, T0 + 10, false)));
            f.send("acme", request("web", span(traceId(3, DROPPED_BY_CHANCE), 5, 4, T0, T0 + 10, false)));
            f.send("acme", request("worker", span(rootless, 3, 1, T0, T0 + 10, false)));
            f.advance(Duration.ofSeconds(1));
            assertThat(open(f)).isEqualTo(3);
            assertThat(oldest(f)).isEqualTo(T0);

            // The rooted trace is decided 2 s after its root; the root-less ones stay open until max-trace-age.
            f.advance(Duration.ofSeconds(2));
            assertThat(open(f)).isEqualTo(2);
            f.advance(Duration.ofMinutes(60).minusSeconds(13));
            assertThat(open(f)).isEqualTo(1);
            assertThat(oldest(f)).isEqualTo(later);
            f.advance(Duration.ofSeconds(11));
            assertThat(open(f)).isZero();
            assertThat(oldest(f)).isZero();
            assertThat(f.counters.keptByRule().values().stream().mapToLong(Long::longValue).sum()
                    + f.counters.droppedByRule().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        }
    }

    @Test
    void theOldestFirstArrivalFollowsDecisionsInAnyOrder() {
        OpenTraceGauge gauge = new OpenTraceGauge();
        gauge.opened(5_400);
        gauge.opened(5_900);
        gauge.opened(9_100);
        assertThat(gauge.count()).isEqualTo(3);
        assertThat(gauge.oldestFirstSeenMs()).isEqualTo(5_000);
        gauge.closed(5_400);
        assertThat(gauge.oldestFirstSeenMs()).isEqualTo(5_000);
        gauge.closed(5_900);
        assertThat(gauge.oldestFirstSeenMs()).isEqualTo(9_000);
        gauge.closed(9_100);
        assertThat(gauge.count()).isZero();
        assertThat(gauge.oldestFirstSeenMs()).isZero();
        gauge.opened(1_000);
        gauge.clear();
        assertThat(gauge.count()).isZero();
    }

    @Test
    void aSecondWhoseTracesAreAllDecidedCountsTracesOpeningInItAgain() {
        OpenTraceGauge gauge = new OpenTraceGauge();
        gauge.opened(7_100);
        gauge.closed(7_100);
        assertThat(gauge.oldestFirstSeenMs()).isZero();
        gauge.opened(7_800);
        gauge.opened(8_200);
        assertThat(gauge.oldestFirstSeenMs()).isEqualTo(7_000);
        gauge.closed(7_800);
        assertThat(gauge.oldestFirstSeenMs()).isEqualTo(8_000);
        gauge.opened(7_900); // late in an earlier second than the one traces open in now
        assertThat(gauge.oldestFirstSeenMs()).isEqualTo(7_000);
        gauge.closed(7_900);
        gauge.closed(8_200);
        assertThat(gauge.count()).isZero();
        assertThat(gauge.oldestFirstSeenMs()).isZero();
    }

    private static long open(TopologyFixture f) {
        return gauges(f).stream().mapToLong(PipelineCounters.TaskGauges::openTraces).sum();
    }

    private static long oldest(TopologyFixture f) {
        return gauges(f).stream().filter(g -> g.openTraces() > 0)
                .mapToLong(PipelineCounters.TaskGauges::oldestFirstSeenMs).min().orElse(0);
    }

    private static Collection<PipelineCounters.TaskGauges> gauges(TopologyFixture f) {
        Collection<PipelineCounters.TaskGauges> all = f.counters.taskGauges().values();
        assertThat(all).isNotEmpty();
        return all;
    }
}
