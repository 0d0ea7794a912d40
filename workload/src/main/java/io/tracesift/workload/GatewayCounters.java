package io.tracesift.workload;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the gateway accepted and rejected, for {@code /metrics} and the demo's progress line. Thread-safe; reasons
 * are short stable codes (see {@link OtlpGateway}).
 */
public final class GatewayCounters {
    private final LongAdder requests = new LongAdder();
    private final LongAdder acceptedSpans = new LongAdder();
    private final LongAdder records = new LongAdder();
    private final Map<String, LongAdder> rejectedRequests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejectedSpans = new ConcurrentHashMap<>();
    private final AtomicLong inFlightBytes = new AtomicLong();

    /**
     * @param requests         HTTP requests received
     * @param acceptedSpans    spans acknowledged by Kafka and answered with 200
     * @param records          Kafka records written (one per trace per request, more for split traces)
     * @param rejectedRequests whole requests refused, by reason ({@code bad-payload}, {@code too-large},
     *                         {@code unsupported-media-type}, {@code invalid-tenant}, {@code overloaded},
     *                         {@code kafka-unavailable}, {@code shutting-down}, {@code not-found},
     *                         {@code method-not-allowed})
     * @param rejectedSpans    spans refused inside accepted requests (reported as OTLP partial success), by reason
     *                         ({@code invalid-trace-id}, {@code invalid-span-id}, {@code service-disabled},
     *                         {@code span-too-large})
     * @param inFlightBytes    record bytes handed to Kafka and not yet acknowledged (a gauge)
     */
    public record Snapshot(long requests, long acceptedSpans, long records, Map<String, Long> rejectedRequests,
                           Map<String, Long> rejectedSpans, long inFlightBytes) {}

    void request() {
        requests.increment();
    }

    void accepted(int spans, int recordCount) {
        acceptedSpans.add(spans);
        records.add(recordCount);
    }

    void rejectedRequest(String reason) {
        rejectedRequests.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    void rejectedSpans(Map<String, Integer> byReason) {
        byReason.forEach((reason, n) -> rejectedSpans.computeIfAbsent(reason, k -> new LongAdder()).add(n));
    }

    /** Takes {@code bytes} of the in-flight budget; false when that would exceed {@code max}. */
    boolean reserve(long bytes, long max) {
        while (true) {
            long current = inFlightBytes.get();
            // A request larger than the whole budget still passes when nothing else is in flight.
            if (current > 0 && current + bytes > max) {
                return false;
            }
            if (inFlightBytes.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        inFlightBytes.addAndGet(-bytes);
    }

    public Snapshot snapshot() {
        return new Snapshot(requests.sum(), acceptedSpans.sum(), records.sum(), sums(rejectedRequests),
                sums(rejectedSpans), inFlightBytes.get());
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counters) {
        Map<String, Long> result = new TreeMap<>();
        counters.forEach((k, v) -> result.put(k, v.sum()));
        return Map.copyOf(result);
    }
}
