package io.tracesift.topology;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the pipeline did in this process, for the metrics exporter to read. Thread-safe; shared by all
 * stream threads. After a crash, records re-processed under exactly-once are counted again in this process
 * (the committed output is not): these are operational counters, not ledger entries.
 */
public final class PipelineCounters {
    private final LongAdder spansIn = new LongAdder();
    private final LongAdder spansAccepted = new LongAdder();
    private final LongAdder lateSpansKept = new LongAdder();
    private final LongAdder lateSpansDropped = new LongAdder();
    private final LongAdder truncatedSpans = new LongAdder();
    private final LongAdder outputRecords = new LongAdder();
    private final LongAdder recordsScanned = new LongAdder();
    private final LongAdder recordsDecoded = new LongAdder();
    private final LongAdder groupsLocal = new LongAdder();
    private final LongAdder groupsRepartitioned = new LongAdder();
    private final ConcurrentMap<String, LongAdder> dlqByReason = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> keptByRule = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> droppedByRule = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> redactionsByRule = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> keptSpansByRule = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> droppedSpansByRule = new ConcurrentHashMap<>();
    private final DelayHistogram decisionDelay = new DelayHistogram();
    private final ConcurrentMap<String, TaskGauges> tasks = new ConcurrentHashMap<>();
    private final LongAdder youngWindowBytes = new LongAdder();
    /** Every reason from the start, at 0: a rate over a series that appears only at its first write misses it. */
    private final Map<WrittenBelow, LongAdder> youngWindowWrittenBelow = new EnumMap<>(WrittenBelow.class);

    public PipelineCounters() {
        for (WrittenBelow reason : WrittenBelow.values()) {
            youngWindowWrittenBelow.put(reason, new LongAdder());
        }
    }

    /** Why the span store's young window moved a trace to RocksDB. */
    enum WrittenBelow {
        /** The window was past its share of the instance's budget. */
        BUDGET,
        /** The trace had been written at many commits. */
        LONG_TRACE,
        /** The task was suspended or closed cleanly. */
        CHECKPOINT;

        /** The metric's label value: {@code budget}, {@code long-trace}, {@code checkpoint}. */
        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What one assembly task last reported: open traces, the oldest one's first arrival, punctuation lateness. */
    public record TaskGauges(long openTraces, long oldestFirstSeenMs, long punctuationLagMs) {}
    private final ConcurrentMap<String, LongAdder> spansDroppedByReason = new ConcurrentHashMap<>();

    void spansIn(int n) { spansIn.add(n); }

    void spansAccepted(int n) { spansAccepted.add(n); }

    void deadLettered(String reason) { dlqByReason.computeIfAbsent(reason, r -> new LongAdder()).increment(); }

    void decided(boolean kept, String rule) {
        (kept ? keptByRule : droppedByRule).computeIfAbsent(rule, r -> new LongAdder()).increment();
    }

    void redacted(String rule, int replacements) {
        redactionsByRule.computeIfAbsent(rule, r -> new LongAdder()).add(replacements);
    }

    void spansDecided(boolean kept, String rule, int n) {
        (kept ? keptSpansByRule : droppedSpansByRule).computeIfAbsent(rule, r -> new LongAdder()).add(n);
    }

    void decisionDelay(long millis) { decisionDelay.observe(millis); }

    void taskGauges(String task, TaskGauges gauges) { tasks.put(task, gauges); }

    void taskClosed(String task) { tasks.remove(task); }

    void spansDropped(String reason, int n) {
        spansDroppedByReason.computeIfAbsent(reason, r -> new LongAdder()).add(n);
    }

    void lateSpans(boolean kept, int n) { (kept ? lateSpansKept : lateSpansDropped).add(n); }

    void truncated(int n) { truncatedSpans.add(n); }

    void outputRecord() { outputRecords.increment(); }

    void ingested(boolean scanned) { (scanned ? recordsScanned : recordsDecoded).increment(); }

    void youngWindowHeld(long deltaBytes) { youngWindowBytes.add(deltaBytes); }

    void youngWindowWrittenBelow(WrittenBelow reason, long bytes) { youngWindowWrittenBelow.get(reason).add(bytes); }

    void groupRouted(boolean local) { (local ? groupsLocal : groupsRepartitioned).increment(); }

    /** Spans decoded from input records, valid or not. */
    public long spansIn() { return spansIn.sum(); }

    /** Spans that passed validation and tenant resolution. */
    public long spansAccepted() { return spansAccepted.sum(); }

    public long lateSpansKept() { return lateSpansKept.sum(); }

    public long lateSpansDropped() { return lateSpansDropped.sum(); }

    /** Spans not stored because their trace reached max-spans-per-trace. */
    public long truncatedSpans() { return truncatedSpans.sum(); }

    /**
     * Input records by ingest path: {@code scanned} (read from the bytes, stored as they came or cut by copying
     * bytes) and {@code decoded} (fully decoded: a rejection, a redaction, a dropped service, JSON, or bytes that
     * need protobuf's merging). A high decoded share costs CPU and says why.
     */
    public Map<String, Long> recordsByIngestPath() {
        return Map.of("scanned", recordsScanned.sum(), "decoded", recordsDecoded.sum());
    }

    /**
     * Span groups by route to their assembly task, with the repartition: {@code local} (ingest's task is the trace's
     * own) and {@code repartition} (sent through the repartition topic). Nothing is counted when it is skipped.
     */
    public Map<String, Long> spanGroupsByRoute() {
        return Map.of("local", groupsLocal.sum(), "repartition", groupsRepartitioned.sum());
    }

    /** Records written to tenant topics (chunks count one each). */
    public long outputRecords() { return outputRecords.sum(); }

    /** Open traces of this process's assembly tasks, as each last reported them (restored traces included). */
    public long openTraces() { return tasks.values().stream().mapToLong(TaskGauges::openTraces).sum(); }

    /** DLQ records by {@code tracesift.dlq.reason}. */
    public Map<String, Long> deadLettersByReason() { return snapshot(dlqByReason); }

    /** Kept traces by deciding rule. */
    public Map<String, Long> keptByRule() { return snapshot(keptByRule); }

    /** Dropped traces by deciding rule. */
    public Map<String, Long> droppedByRule() { return snapshot(droppedByRule); }

    /** Values replaced by redaction, by redaction rule. */
    public Map<String, Long> redactionsByRule() { return snapshot(redactionsByRule); }

    /** Spans of kept traces by deciding rule. */
    public Map<String, Long> keptSpansByRule() { return snapshot(keptSpansByRule); }

    /** Spans of dropped traces by deciding rule. */
    public Map<String, Long> droppedSpansByRule() { return snapshot(droppedSpansByRule); }

    /** From each trace's due time to its decision. */
    public DelayHistogram decisionDelay() { return decisionDelay; }

    /** The latest report of each assembly task running in this process, by task id. */
    public Map<String, TaskGauges> taskGauges() { return new TreeMap<>(tasks); }

    /** Bytes of span groups the span store's young windows hold in memory now (values and per-entry overhead). */
    public long youngWindowBytes() { return youngWindowBytes.sum(); }

    /**
     * Bytes the young windows moved to RocksDB, by reason: {@code budget} (the window was past its share),
     * {@code long-trace} (a trace written at many commits), {@code checkpoint} (a task suspended or closed cleanly).
     */
    public Map<String, Long> youngWindowWrittenBelow() {
        Map<String, Long> copy = new TreeMap<>();
        youngWindowWrittenBelow.forEach((reason, bytes) -> copy.put(reason.label(), bytes.sum()));
        return copy;
    }

    /** Valid spans dropped on purpose at ingest, by reason ({@code flag-disabled}). */
    public Map<String, Long> spansDroppedByReason() { return snapshot(spansDroppedByReason); }

    private static Map<String, Long> snapshot(ConcurrentMap<String, LongAdder> counters) {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}
