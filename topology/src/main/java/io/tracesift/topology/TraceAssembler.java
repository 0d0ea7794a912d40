package io.tracesift.topology;

import io.tracesift.sampling.Decision;
import io.tracesift.tenantrouting.TenantId;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Assembles traces on disk and decides them when complete.
 *
 * <p>Per span group the work is O(1): the group is appended under (tenant, trace, seq) (the store's
 * {@link SpanAppendBuffer} joins a trace's groups of one commit into one value), the fixed-size
 * {@link TraceIndexEntry} is rewritten, and the deadline entry moves only when it gets
 * earlier. A wall-clock punctuator takes due deadlines in capped batches, reads the trace back, asks the
 * sampling engine, emits kept traces, deletes the spans and remembers the decision for decision-ttl so
 * late spans follow it. Nothing per trace lives on the heap but the earliest deadlines, a bounded number
 * ({@link DeadlineQueue}).
 *
 * <p>The deadline store is an index derived from the other two: every open trace's scheduled decision (trace index)
 * and every remembered decision's expiry (decision store). It has no changelog, which spares the three to five
 * deadline records each trace would write (scheduled, moved when the root arrives, taken, expiry); each task start
 * clears it and rebuilds it from the restored stores ({@link #rebuildDeadlines}).
 */
final class TraceAssembler implements Processor<byte[], byte[], OutputKey, byte[]> {
    /** Decide deadlines held on the heap per task at most (about 120 bytes each: key, Bytes and tree entry). */
    static final int MAX_HELD_DEADLINES = 50_000;
    /** Deadlines taken at a time within a punctuation, between checks of its time budget. */
    static final int DECIDE_CHUNK = 256;

    private final TopologySettings settings;
    private final PipelineCounters counters;
    private final OutputTopics outputTopics;
    private final TenantDirectory tenants;
    private final TraceChunker chunker;
    private final TraceMetricsRecorder traceMetrics;
    private final int maxHeldDeadlines;
    private final Set<TenantId> ensuredTenants = new HashSet<>();
    private final OpenTraceGauge openTraces = new OpenTraceGauge();
    private ProcessorContext<OutputKey, byte[]> context;
    private KeyValueStore<Bytes, byte[]> spans;
    private KeyValueStore<Bytes, byte[]> index;
    private DeadlineQueue deadlines;
    private KeyValueStore<Bytes, byte[]> decisions;
    /** Every deadline below this has been taken, so scans start here instead of re-reading tombstones. */
    private long scannedUpTo;
    private String task;
    private long lastPunctuationMs;
    /** Whether span groups came in since the last punctuation: then input is waiting and the time budget applies. */
    private boolean processedSincePunctuation;
    private final LongSupplier nanoClock;

    TraceAssembler(TopologySettings settings, PipelineCounters counters, OutputTopics outputTopics,
                   TenantDirectory tenants) {
        this(settings, counters, outputTopics, tenants, MAX_HELD_DEADLINES, System::nanoTime);
    }

    /**
     * @param maxHeldDeadlines decide deadlines held on the heap at most (0: all in the deadline store)
     * @param nanoClock        what a punctuation measures its time budget with ({@link System#nanoTime})
     */
    TraceAssembler(TopologySettings settings, PipelineCounters counters, OutputTopics outputTopics,
                   TenantDirectory tenants, int maxHeldDeadlines, LongSupplier nanoClock) {
        this.maxHeldDeadlines = maxHeldDeadlines;
        this.nanoClock = nanoClock;
        this.settings = settings;
        this.counters = counters;
        this.outputTopics = outputTopics;
        this.tenants = tenants;
        this.chunker = new TraceChunker(settings.maxRecordBytes(), settings.stampDecisionAttributes());
        this.traceMetrics = TraceMetricsRecorder.of(settings);
    }

    @Override
    public void init(ProcessorContext<OutputKey, byte[]> context) {
        this.context = context;
        this.spans = context.getStateStore(TracesiftTopology.SPAN_STORE);
        this.index = context.getStateStore(TracesiftTopology.INDEX_STORE);
        this.deadlines = new DeadlineQueue(context.getStateStore(TracesiftTopology.DEADLINE_STORE), maxHeldDeadlines);
        this.decisions = context.getStateStore(TracesiftTopology.DECISION_STORE);
        this.task = context.taskId().toString();
        traceMetrics.init(context);
        rebuildDeadlines();
        context.schedule(settings.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::decideDue);
    }

    @Override
    public void close() {
        counters.taskClosed(task);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        processedSincePunctuation = true;
        byte[] key = record.key();
        Bytes traceKey = Bytes.wrap(key);
        SpanGroup group = SpanGroup.wrap(record.value());
        long now = context.currentSystemTimeMs();

        // An open trace (indexed) has no decision: its index entry and its decision never exist together.
        byte[] existing = index.get(traceKey);
        byte[] decided = existing == null ? decisions.get(traceKey) : null;
        if (decided != null) {
            followDecision(key, group, DecisionEntry.decode(decided), now);
            return;
        }
        TraceIndexEntry entry = existing == null ? TraceIndexEntry.opened(now) : TraceIndexEntry.decode(existing);
        if (existing == null) {
            openTraces.opened(entry.firstSeenMs());
        }

        int room = settings.maxSpansPerTrace() - entry.storedSpans();
        byte[] value = null;
        int stored = 0;
        if (room >= group.spanCount()) {
            value = record.value();
            stored = group.spanCount();
        } else if (room > 0) {
            value = group.firstSpans(room).encoded();
            stored = room;
        }
        int dropped = group.spanCount() - stored;
        if (dropped > 0) {
            counters.truncated(dropped);
        }
        int nextSeq = entry.nextSeq();
        if (value != null) {
            spans.put(Bytes.wrap(TraceKey.spanKey(key, nextSeq)), value);
            nextSeq++;
        }
        TraceIndexEntry updated = new TraceIndexEntry(entry.firstSeenMs(),
                entry.rootSeen() || !group.hasRoot() ? entry.rootSeenMs() : now,
                now, entry.scheduledMs(), entry.storedSpans() + stored, entry.droppedSpans() + dropped, nextSeq,
                entry.storedBytes() + (value == null ? 0 : value.length), entry.hasError() || group.hasError());

        // Deadlines only move earlier here; a later one (idle timeout extended) is found when the old one fires.
        long due = updated.dueAtMs(settings);
        if (due < updated.scheduledMs()) {
            if (updated.scheduledMs() != Long.MAX_VALUE) {
                deadlines.remove(new DeadlineKey(updated.scheduledMs(), DeadlineKey.Kind.DECIDE, key));
            }
            schedule(new DeadlineKey(due, DeadlineKey.Kind.DECIDE, key));
            updated = updated.withScheduled(due);
        }
        index.put(traceKey, updated.encode());
    }

    private void schedule(DeadlineKey deadline) {
        deadlines.add(deadline);
        scannedUpTo = Math.min(scannedUpTo, deadline.dueMs());
    }

    /**
     * Takes due deadlines, earliest first, up to {@code decide-batch} of them. While span groups keep coming in and the
     * deadlines it takes are less than {@code send-delay} late, it stops once {@code decide-budget} has passed: a
     * backlog of decisions (after a burst, or catching up after an outage) then shares the stream thread with ingest
     * instead of stopping it. Kafka Streams processes only a few records between punctuations that find work, so a
     * punctuation of whole batches would starve ingest for as long as the backlog lasts, and spans read late would
     * reach traces already decided. Decisions that fall later than that still take whole batches, so the budget
     * delays none by more than about {@code send-delay}.
     */
    private void decideDue(long now) {
        long lag = lastPunctuationMs == 0 ? 0 : Math.max(0, now - lastPunctuationMs - settings.punctuateInterval().toMillis());
        lastPunctuationMs = now;
        boolean budgeted = processedSincePunctuation && !settings.decideBudget().isZero();
        processedSincePunctuation = false;
        long started = nanoClock.getAsLong();
        int taken = 0;
        while (taken < settings.decideBatch()) {
            List<DeadlineKey> due = deadlines.takeDue(scannedUpTo, now + 1,
                    Math.min(DECIDE_CHUNK, settings.decideBatch() - taken));
            if (due.isEmpty()) {
                break;
            }
            boolean late = now - due.get(0).dueMs() > settings.sendDelay().toMillis();
            for (DeadlineKey deadline : due) {
                scannedUpTo = Math.max(scannedUpTo, deadline.dueMs());
                switch (deadline.kind()) {
                    case DECIDE -> traceDue(deadline, now);
                    case FORGET -> forget(deadline);
                }
            }
            taken += due.size();
            if (budgeted && !late && nanoClock.getAsLong() - started >= settings.decideBudget().toNanos()) {
                break;
            }
        }
        counters.taskGauges(task, new PipelineCounters.TaskGauges(openTraces.count(), openTraces.oldestFirstSeenMs(), lag));
    }

    /**
     * Rebuilds the deadline store (not logged) from the restored index and decisions, and counts the task's open
     * traces: once per task start; afterwards {@link #process} and {@link #decide} keep both. Entries left from before
     * (written after the last commit of a process that crashed, or by a task that moved away and back) are cleared
     * first, so every deadline is one the committed state implies.
     */
    private void rebuildDeadlines() {
        deadlines.clear();
        scannedUpTo = 0;
        openTraces.clear();
        try (KeyValueIterator<Bytes, byte[]> it = index.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                TraceIndexEntry entry = TraceIndexEntry.decode(kv.value);
                openTraces.opened(entry.firstSeenMs());
                if (entry.scheduledMs() != Long.MAX_VALUE) {
                    schedule(new DeadlineKey(entry.scheduledMs(), DeadlineKey.Kind.DECIDE, kv.key.get()));
                }
            }
        }
        long ttl = settings.decisionTtl().toMillis();
        try (KeyValueIterator<Bytes, byte[]> it = decisions.all()) {
            while (it.hasNext()) {
                var kv = it.next();
                schedule(new DeadlineKey(DecisionEntry.decode(kv.value).decidedAtMs() + ttl, DeadlineKey.Kind.FORGET,
                        kv.key.get()));
            }
        }
    }

    private void traceDue(DeadlineKey deadline, long now) {
        byte[] key = deadline.traceKey();
        byte[] raw = index.get(Bytes.wrap(key));
        if (raw == null) {
            return;
        }
        TraceIndexEntry entry = TraceIndexEntry.decode(raw);
        if (entry.scheduledMs() != deadline.dueMs()) {
            return;
        }
        long dueNow = entry.dueAtMs(settings);
        if (dueNow > now) {
            schedule(new DeadlineKey(dueNow, DeadlineKey.Kind.DECIDE, key));
            index.put(Bytes.wrap(key), entry.withScheduled(dueNow).encode());
            return;
        }
        counters.decisionDelay(now - dueNow);
        decide(key, entry, now);
    }

    private void decide(byte[] key, TraceIndexEntry entry, long now) {
        List<Bytes> spanKeys = new ArrayList<>(entry.nextSeq());
        List<SpanGroup> groups = new ArrayList<>(entry.nextSeq());
        if (entry.nextSeq() > 0) {
            try (KeyValueIterator<Bytes, byte[]> it = spans.range(
                    Bytes.wrap(TraceKey.spanKey(key, 0)), Bytes.wrap(TraceKey.spanKey(key, entry.nextSeq() - 1)))) {
                while (it.hasNext()) {
                    var kv = it.next();
                    spanKeys.add(kv.key);
                    groups.add(SpanGroup.wrap(kv.value));
                }
            }
        }
        TenantId tenant = TraceKey.tenant(key);
        StoredTrace trace = StoredTrace.of(tenant.value(), TraceKey.traceIdHex(key), groups);
        Decision decision = settings.samplingEngine().decide(trace, tenants.samplingOverride(tenant));
        DecisionEntry remembered = new DecisionEntry(now, decision.kept(), decision.reason(),
                decision.kept() ? decision.sampleRate() : 0);
        counters.decided(decision.kept(), decision.reason());
        counters.spansDecided(decision.kept(), decision.reason(), trace.storedSpans().size());
        traceMetrics.decided(trace, decision);
        if (decision.kept()) {
            emit(key, trace.storedSpans(), remembered, entry.droppedSpans(), now, false);
        }
        for (Bytes spanKey : spanKeys) {
            spans.put(spanKey, null);
        }
        Bytes traceKey = Bytes.wrap(key);
        index.put(traceKey, null);
        openTraces.closed(entry.firstSeenMs());
        decisions.put(traceKey, remembered.encode());
        schedule(new DeadlineKey(now + settings.decisionTtl().toMillis(), DeadlineKey.Kind.FORGET, key));
    }

    private void forget(DeadlineKey deadline) {
        Bytes traceKey = Bytes.wrap(deadline.traceKey());
        byte[] raw = decisions.get(traceKey);
        if (raw != null && DecisionEntry.decode(raw).decidedAtMs() < deadline.dueMs()) {
            decisions.put(traceKey, null);
        }
    }

    private void followDecision(byte[] key, SpanGroup group, DecisionEntry decision, long now) {
        counters.lateSpans(decision.kept(), group.spanCount());
        if (decision.kept()) {
            StoredTrace late = StoredTrace.of(TraceKey.tenant(key).value(), TraceKey.traceIdHex(key), List.of(group));
            emit(key, late.storedSpans(), decision, 0, now, true);
        }
    }

    private void emit(byte[] key, List<StoredSpan> traceSpans, DecisionEntry decision, int droppedSpans,
                      long now, boolean late) {
        TenantId tenant = TraceKey.tenant(key);
        if (!ensuredTenants.contains(tenant)) {
            outputTopics.ensure(tenant);
            ensuredTenants.add(tenant);
        }
        OutputKey outputKey = new OutputKey(tenant, TraceKey.traceIdHex(key));
        List<byte[]> chunks = chunker.chunks(traceSpans, decision, droppedSpans);
        for (int i = 0; i < chunks.size(); i++) {
            RecordHeaders headers = new RecordHeaders();
            if (chunks.size() > 1) {
                headers.add(TracesiftTopology.CHUNK_INDEX_HEADER, ascii(Integer.toString(i)));
                headers.add(TracesiftTopology.CHUNK_COUNT_HEADER, ascii(Integer.toString(chunks.size())));
            }
            if (late) {
                headers.add(TracesiftTopology.LATE_HEADER, ascii("true"));
            }
            context.forward(new Record<>(outputKey, chunks.get(i), now, headers));
            counters.outputRecord();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
