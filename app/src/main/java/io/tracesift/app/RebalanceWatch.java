package io.tracesift.app;

import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log, every {@code every} that Kafka Streams stays REBALANCING, what each stream thread is doing and
 * with which tasks. A rebalance normally ends within seconds; one that does not (a thread waiting for a task's state
 * or lock, a member the group waits for) otherwise leaves only "pipeline REBALANCING" to go on.
 */
final class RebalanceWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RebalanceWatch.class);

    private final Supplier<Set<ThreadMetadata>> threads;
    /** More to say about a rebalance that lasts (what blocks it), asked at each report; null for nothing. */
    private final Supplier<String> blockers;
    private final LongSupplier nanoTime;
    private final long everyNanos;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tracesift-rebalance-watch");
        t.setDaemon(true);
        return t;
    });
    /** When the current stretch of REBALANCING began (System.nanoTime), or null outside one: the state listener's. */
    private volatile Long rebalancingSince;
    /** The stretch {@link #check()} last saw, and how many reports it has had (both touched by checks only). */
    private Long stretch;
    private int reports;

    RebalanceWatch(Supplier<Set<ThreadMetadata>> threads, Supplier<String> blockers, LongSupplier nanoTime,
                   Duration every) {
        this.threads = threads;
        this.blockers = blockers;
        this.nanoTime = nanoTime;
        this.everyNanos = every.toNanos();
    }

    /** Checks on a daemon thread, six times per {@code every}, until {@link #close()}. */
    RebalanceWatch start() {
        long period = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(everyNanos) / 6);
        timer.scheduleWithFixedDelay(() -> {
            String report = check();
            if (report != null) {
                LOG.warn(report);
            }
        }, period, period, TimeUnit.SECONDS);
        return this;
    }

    /** Call from Kafka Streams' state listener. */
    void changed(State now) {
        if (now == State.REBALANCING) {
            if (rebalancingSince == null) {
                rebalancingSince = nanoTime.getAsLong();
            }
        } else {
            rebalancingSince = null;
        }
    }

    /**
     * What to log now: the threads, when REBALANCING has lasted {@code every} since it began, then each further
     * {@code every}; else null.
     */
    String check() {
        Long since = rebalancingSince;
        if (since == null) {
            return null;
        }
        if (!since.equals(stretch)) {
            stretch = since;
            reports = 0;
        }
        long now = nanoTime.getAsLong();
        if (now - since < everyNanos * (reports + 1)) {
            return null;
        }
        reports++;
        String seconds = "pipeline still REBALANCING after " + TimeUnit.NANOSECONDS.toSeconds(now - since) + " s; ";
        String report;
        try {
            // Kafka Streams refreshes a thread's metadata only when it enters RUNNING: CREATED means not since the start.
            report = seconds + "stream threads (as of each one's last RUNNING; CREATED: none since the start): "
                    + describe(threads.get());
        } catch (RuntimeException e) {
            report = seconds + "its threads could not be read: " + e;
        }
        String more = blockers.get();
        return more == null ? report : report + "; " + more;
    }

    /** E.g. {@code StreamThread-1 PARTITIONS_ASSIGNED, active [0_1, 2_0 (idling since 1700000000000)], standby []}. */
    static String describe(Set<ThreadMetadata> threads) {
        return threads.stream().sorted(Comparator.comparing(ThreadMetadata::threadName))
                .map(t -> t.threadName() + " " + t.threadState() + ", active " + tasks(t.activeTasks())
                        + ", standby " + tasks(t.standbyTasks()))
                .collect(Collectors.joining("; "));
    }

    private static String tasks(Set<TaskMetadata> tasks) {
        return tasks.stream().sorted(Comparator.comparing(TaskMetadata::taskId))
                .map(t -> t.taskId() + t.timeCurrentIdlingStarted().map(ms -> " (idling since " + ms + ")").orElse(""))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
