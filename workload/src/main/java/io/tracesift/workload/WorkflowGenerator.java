package io.tracesift.workload;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * An endless (or {@link GeneratorSettings#traceCount()}-long) stream of workflow trace batches in the order an
 * SDK would export them: by due time on the generator's timeline. Pure and seedable: no clock, no I/O; the same
 * settings and start time give byte-identical batches.
 *
 * <p>Workflows start as a Poisson process at {@link GeneratorSettings#tracesPerSecond()}. A long-running
 * workflow's batches are due over its whole (compressed) length, so they interleave with later workflows.
 */
public final class WorkflowGenerator implements Iterator<TraceBatch> {
    private record Pending(TraceBatch batch, long sequence) {}

    private final GeneratorSettings settings;
    private final Random rng;
    private final PriorityQueue<Pending> due = new PriorityQueue<>(
            Comparator.comparingLong((Pending p) -> p.batch().emitAtNanos()).thenComparingLong(Pending::sequence));
    private long nextStartNanos;
    private long workflows;
    private long sequence;

    /** @param startEpochNanos the timeline's start, epoch nanoseconds (the first workflow starts a little after) */
    public WorkflowGenerator(GeneratorSettings settings, long startEpochNanos) {
        this.settings = settings;
        this.rng = new Random(settings.seed());
        this.nextStartNanos = startEpochNanos + interArrivalNanos();
    }

    @Override
    public boolean hasNext() {
        return !due.isEmpty() || moreWorkflows();
    }

    /** The next batch due; its {@link TraceBatch#emitAtNanos()} never decreases from one call to the next. */
    @Override
    public TraceBatch next() {
        // A workflow starting later cannot have a batch due before its start, so the head is final once the next
        // workflow's start lies beyond it.
        while (moreWorkflows() && (due.isEmpty() || nextStartNanos <= due.peek().batch().emitAtNanos())) {
            List<TraceBatch> batches = WorkflowTrace.generate(rng, settings, nextStartNanos);
            for (TraceBatch batch : batches) {
                due.add(new Pending(batch, sequence++));
            }
            workflows++;
            nextStartNanos += interArrivalNanos();
        }
        Pending head = due.poll();
        if (head == null) {
            throw new NoSuchElementException("all " + settings.traceCount() + " workflows were generated");
        }
        return head.batch();
    }

    private boolean moreWorkflows() {
        return settings.traceCount() == 0 || workflows < settings.traceCount();
    }

    private long interArrivalNanos() {
        double seconds = -Math.log(1 - rng.nextDouble()) / settings.tracesPerSecond();
        return Math.max(1, (long) (seconds * 1e9));
    }
}
