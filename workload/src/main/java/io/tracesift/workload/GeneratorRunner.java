package io.tracesift.workload;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the {@link WorkflowGenerator} into a {@link TraceSink}: paced, each batch is sent when it falls due on the
 * generator's timeline (so the configured rate holds and long-running workflows trickle in over their length), or
 * unpaced, as fast as the sink takes them (benchmark input). Reports progress at a fixed interval.
 *
 * <p>Stops when the settings' workflow count is reached (all their batches sent), when {@code maxDuration} has
 * passed, or when the running thread is interrupted; in every case it flushes the sink and returns the final
 * progress. The sink stays open: the caller closes it.
 */
public final class GeneratorRunner {

    /**
     * @param paced            follow the timeline (true) or send as fast as possible (false)
     * @param maxDuration      stop after this long; null = no limit
     * @param progressInterval how often {@code progress} is called while running
     */
    public record Options(boolean paced, Duration maxDuration, Duration progressInterval) {
        public static Options realTime() {
            return new Options(true, null, Duration.ofSeconds(1));
        }

        public static Options asFastAsPossible() {
            return new Options(false, null, Duration.ofSeconds(1));
        }

        public Options withMaxDuration(Duration value) {
            return new Options(paced, value, progressInterval);
        }
    }

    /**
     * @param workflows      workflows whose last batch was sent
     * @param batches        batches sent
     * @param spans          spans sent
     * @param bytes          OTLP protobuf bytes sent (before compression)
     * @param failedBatches  batches the sink could not deliver
     * @param elapsed        time since the run started
     * @param spansPerSecond spans/s over the last progress interval
     * @param finished       true for the final report
     */
    public record Progress(long workflows, long batches, long spans, long bytes, long failedBatches, Duration elapsed,
                           double spansPerSecond, boolean finished) {}

    private GeneratorRunner() {}

    /** Runs with the timeline starting at the settings' start time, or now when it has none. */
    public static Progress run(GeneratorSettings settings, TraceSink sink, Options options,
                               Consumer<Progress> progress) {
        Instant start = settings.startTime() != null ? settings.startTime() : Instant.now();
        long timelineStart = start.getEpochSecond() * 1_000_000_000L + start.getNano();
        WorkflowGenerator generator = new WorkflowGenerator(settings, timelineStart);
        Tally tally = new Tally(sink, progress, options.progressInterval().toNanos());
        long stopAt = options.maxDuration() == null ? Long.MAX_VALUE
                : tally.runStart + options.maxDuration().toNanos();
        try {
            while (generator.hasNext()) {
                TraceBatch batch = generator.next();
                long due = options.paced() ? tally.runStart + (batch.emitAtNanos() - timelineStart) : 0;
                long now = System.nanoTime();
                while (now < due && now < stopAt) {
                    tally.reportIfDue(now);
                    TimeUnit.NANOSECONDS.sleep(Math.min(due, Math.min(stopAt, tally.nextReport)) - now);
                    now = System.nanoTime();
                }
                if (now >= stopAt || Thread.currentThread().isInterrupted()) {
                    break;
                }
                sink.send(batch);
                tally.add(batch);
                tally.reportIfDue(now);
            }
            sink.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return tally.finish();
    }

    /** Counts what was sent and reports it. */
    private static final class Tally {
        final long runStart = System.nanoTime();
        final TraceSink sink;
        final Consumer<Progress> progress;
        final long intervalNanos;
        long nextReport;
        long workflows;
        long batches;
        long spans;
        long bytes;
        long spansAtLastReport;
        long lastReport = runStart;

        Tally(TraceSink sink, Consumer<Progress> progress, long intervalNanos) {
            this.sink = sink;
            this.progress = progress;
            this.intervalNanos = intervalNanos;
            this.nextReport = runStart + intervalNanos;
        }

        void add(TraceBatch batch) {
            batches++;
            spans += batch.spanCount();
            bytes += batch.request().getSerializedSize();
            if (batch.lastOfTrace()) {
                workflows++;
            }
        }

        void reportIfDue(long now) {
            if (now < nextReport) {
                return;
            }
            progress.accept(new Progress(workflows, batches, spans, bytes, sink.failedBatches(),
                    Duration.ofNanos(now - runStart), rate(spans - spansAtLastReport, now - lastReport), false));
            spansAtLastReport = spans;
            lastReport = now;
            nextReport = now + intervalNanos;
        }

        Progress finish() {
            long now = System.nanoTime();
            Progress last = new Progress(workflows, batches, spans, bytes, sink.failedBatches(),
                    Duration.ofNanos(now - runStart), rate(spans, now - runStart), true);
            progress.accept(last);
            return last;
        }

        private static double rate(long spans, long nanos) {
            return nanos <= 0 ? 0 : spans * 1e9 / nanos;
        }
    }
}
