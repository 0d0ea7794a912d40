package io.tracesift.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChangelogTrafficTest {
    @Test
    void describesOffsetsAndBytesPerSpanInAllAndPerStoreMostOffsetsFirst() {
        ChangelogTraffic traffic = new ChangelogTraffic(Map.of(
                "tracesift-spans", new long[] {100, 50_000},
                "tracesift-deadlines", new long[] {300, 900}));

        assertThat(traffic.offsets()).isEqualTo(400);
        assertThat(traffic.bytes()).isEqualTo(50_900);
        assertThat(traffic.describe(100)).isEqualTo("4.000 offsets/span, 509.0 B/span (tracesift-deadlines 3.000 / 9.0 B,"
                + " tracesift-spans 1.000 / 500.0 B)");
        assertThat(ChangelogTraffic.NONE.describe(100)).isEqualTo("no changelog");
    }
}
