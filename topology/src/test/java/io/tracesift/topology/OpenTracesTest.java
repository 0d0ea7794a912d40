package io.tracesift.topology;

import io.tracesift.tenantrouting.TenantId;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.tracesift.topology.Otlp.DROPPED_BY_CHANCE;
import static io.tracesift.topology.Otlp.hex;
import static io.tracesift.topology.Otlp.request;
import static io.tracesift.topology.Otlp.span;
import static io.tracesift.topology.Otlp.spansOf;
import static io.tracesift.topology.Otlp.traceId;
import static io.tracesift.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

class OpenTracesTest {
    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId GLOBEX = new TenantId("globex");

    @Test
    void anOpenTraceIsReadableWithItsSpansUntilItIsDecided() {
        try (TopologyFixture f = new TopologyFixture()) {
            ByteString trace = traceId(20, DROPPED_BY_CHANCE);
            f.send("acme", request("worker", span(trace, 2, 1, T0, T0 + 10, true)));
            f.advance(Duration.ofMinutes(5));
            f.send("acme", request("agent", span(trace, 3, 1, T0, T0 + 10, false)));
            f.send("globex", request("agent", span(traceId(21, DROPPED_BY_CHANCE), 1, 1, T0, T0 + 10, false)));

            OpenTraces open = f.openTraces();
            OpenTraces.OpenTrace found = open.find(ACME, trace.toByteArray()).orElseThrow();
            assertThat(found.traceIdHex()).isEqualTo(hex(trace));
            assertThat(spansOf(List.of(found.spans()))).hasSize(2);
            assertThat(found.spans().getResourceSpansCount()).isEqualTo(2);
            assertThat(found.index().storedSpans()).isEqualTo(2);
            assertThat(found.index().rootSeenMs()).isEqualTo(-1);
            assertThat(found.index().hasError()).isTrue();
            assertThat(found.index().lastSeenMs() - found.index().firstSeenMs()).isEqualTo(Duration.ofMinutes(5).toMillis());
            assertThat(open.find(GLOBEX, trace.toByteArray())).as("another tenant's trace").isEmpty();
            assertThat(open.list(ACME, 10)).extracting(OpenTraces.OpenTrace::traceIdHex).containsExactly(hex(trace));
            assertThat(open.list(GLOBEX, 10)).hasSize(1);

            f.advance(Duration.ofMinutes(56));
            assertThat(open.find(ACME, trace.toByteArray())).isEmpty();
            assertThat(f.output("acme")).hasSize(1);
        }
    }
}
