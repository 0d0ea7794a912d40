package io.tracesift.topology;

import io.tracesift.tenantrouting.Partitioning;
import io.tracesift.tenantrouting.TenantId;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AssemblyRouteTest {
    private static final int PARTITIONS = 12;

    @ParameterizedTest
    @EnumSource(Partitioning.class)
    void aTraceGoesWhereItsProducerWouldPutARecordKeyedByItsHexTraceIdWhateverItsTenant(Partitioning partitioning) {
        AssemblyRoute route = new AssemblyRoute(partitioning);
        String hex = "4bf92f3577b34da6a3ce929d0e0e4736";
        byte[] traceId = HexFormat.of().parseHex(hex);
        int expected = partitioning.partition(hex.getBytes(StandardCharsets.US_ASCII), PARTITIONS);
        for (String tenant : new String[] {"acme", "globex"}) {
            byte[] key = TraceKey.encode(new TenantId(tenant), traceId);
            assertThat(route.partitions("t", key, new byte[0], PARTITIONS)).contains(Set.of(expected));
            assertThat(route.local(key, expected)).isTrue();
            assertThat(route.local(key, (expected + 1) % PARTITIONS)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Partitioning.class)
    void nothingIsLocalBeforeTheTopicsPartitionCountIsKnown(Partitioning partitioning) {
        AssemblyRoute route = new AssemblyRoute(partitioning);
        byte[] key = TraceKey.encode(new TenantId("acme"), new byte[16]);
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(route.local(key, p)).isFalse();
        }
        route.partitions("t", key, new byte[0], PARTITIONS);
        int local = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            local += route.local(key, p) ? 1 : 0;
        }
        assertThat(local).isEqualTo(1);
    }
}
