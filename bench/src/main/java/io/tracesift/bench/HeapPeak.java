package io.tracesift.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak heap of this JVM over one phase: the highest used heap sampled (garbage included) and the highest heap
 * left after a collection (GC notifications; close to the live set).
 */
final class HeapPeak implements AutoCloseable {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final NotificationListener listener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long before = info.getGcInfo().getMemoryUsageBeforeGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
            long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
            peakUsed.accumulateAndGet(before, Math::max);
            peakAfterGc.accumulateAndGet(after, Math::max);
        }
    };

    /**
     * Keeps this JVM's committed heap across the collection each phase starts with. Left at its default (70 %),
     * G1 gives the heap above the live set back to the OS after {@code System.gc()}, and the next phase touches
     * those pages afresh: page faults that a long-running deployment (no explicit collections) does not pay, in
     * proportion to the bytes a phase allocates, so they weighed most on the consumer (a). On a VM where a fault
     * is dear (the one of runs 62-64) they took three quarters of (a)'s CPU.
     *
     * @return what was done, for the report
     */
    static String keepCommittedHeap() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            String before = hotSpot.getVMOption("MaxHeapFreeRatio").getValue();
            hotSpot.setVMOption("MaxHeapFreeRatio", "100");
            return "heap kept committed between phases (MaxHeapFreeRatio 100, was " + before + ")";
        } catch (RuntimeException e) {
            return "heap may shrink between phases (MaxHeapFreeRatio not settable here: " + e + ")";
        }
    }

    /** Collects garbage first, so the phase starts from its predecessor's live set only. */
    HeapPeak() {
        System.gc();
        for (GarbageCollectorMXBean collector : collectors) {
            ((NotificationEmitter) collector).addNotificationListener(listener, null, null);
        }
        sample();
    }

    /** Called by the phase's progress loop. */
    void sample() {
        peakUsed.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    long peakUsedBytes() {
        return peakUsed.get();
    }

    long peakAfterGcBytes() {
        return peakAfterGc.get();
    }

    @Override
    public void close() {
        for (GarbageCollectorMXBean collector : collectors) {
            try {
                ((NotificationEmitter) collector).removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // never added (not an emitter of this kind)
            }
        }
    }
}
