package io.tracesift.bench;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeapPeakTest {
    private static final int MB = 1024 * 1024;

    /** Without the setting G1 hands the heap above the tiny live set back to the OS at this collection. */
    @Test
    void theHeapCommittedBeforeAPhasesCollectionStaysCommittedAfterIt() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        assertThat(memory.getHeapMemoryUsage().getMax()).as("max heap").isGreaterThan(1024L * MB);
        assertThat(HeapPeak.keepCommittedHeap()).startsWith("heap kept committed between phases (MaxHeapFreeRatio 100");

        List<byte[]> live = new ArrayList<>();
        for (int i = 0; i < 768; i++) {
            live.add(new byte[MB]);
        }
        long committedBefore = memory.getHeapMemoryUsage().getCommitted();
        assertThat(committedBefore).isGreaterThan(768L * MB);
        live.clear();

        try (HeapPeak ignored = new HeapPeak()) {
            assertThat(memory.getHeapMemoryUsage().getUsed()).isLessThan(256L * MB);
            assertThat(memory.getHeapMemoryUsage().getCommitted()).isGreaterThanOrEqualTo(committedBefore);
        }
    }
}
