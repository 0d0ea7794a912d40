package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.internals.TaskMetadataImpl;
import org.apache.kafka.streams.processor.internals.ThreadMetadataImpl;
import org.junit.jupiter.api.Test;

class RebalanceWatchTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong();
    private final Set<ThreadMetadata> threads = Set.of(
            thread("app-StreamThread-2", "PARTITIONS_ASSIGNED", new TaskMetadataImpl(new TaskId(2, 0),
                    Set.of(new TopicPartition("traces.acme", 0)), Map.of(), Map.of(), Optional.of(1_700_000_000_000L))),
            thread("app-StreamThread-1", "RUNNING", new TaskMetadataImpl(new TaskId(0, 1),
                    Set.of(new TopicPartition("otlp_spans", 1)), Map.of(), Map.of(), Optional.empty())));
    private final RebalanceWatch watch = new RebalanceWatch(() -> threads, () -> null, clock::get,
            Duration.ofSeconds(30));

    @Test
    void aRebalanceThatLastsIsReportedWithEachThreadsStateAndTasksOncePerInterval() {
        enter(State.REBALANCING);
        clock.set(29 * SECOND);
        assertThat(watch.check()).as("under 30 s is an ordinary rebalance").isNull();

        clock.set(30 * SECOND);
        assertThat(watch.check()).isEqualTo("pipeline still REBALANCING after 30 s; stream threads (as of each one's"
                + " last RUNNING; CREATED: none since the start): "
                + "app-StreamThread-1 RUNNING, active [0_1], standby []; "
                + "app-StreamThread-2 PARTITIONS_ASSIGNED, active [2_0 (idling since 1700000000000)], standby []");
        clock.set(45 * SECOND);
        assertThat(watch.check()).as("once per interval").isNull();
        clock.set(60 * SECOND);
        assertThat(watch.check()).startsWith("pipeline still REBALANCING after 60 s; ");

        enter(State.RUNNING);
        clock.set(200 * SECOND);
        assertThat(watch.check()).isNull();
        enter(State.REBALANCING);
        clock.set(220 * SECOND);
        assertThat(watch.check()).as("a new rebalance counts from its own start").isNull();
        clock.set(230 * SECOND);
        assertThat(watch.check()).startsWith("pipeline still REBALANCING after 30 s; ");
    }

    @Test
    void anyOriginOfTheClockWorks() {
        clock.set(-100 * SECOND); // System.nanoTime's origin is arbitrary, and may make its values negative
        enter(State.REBALANCING);
        clock.set(-70 * SECOND);
        assertThat(watch.check()).startsWith("pipeline still REBALANCING after 30 s; ");
    }

    @Test
    void whatBlocksTheRebalanceIsAskedOnlyWhenItIsReportedAndJoinsTheReport() {
        AtomicLong asked = new AtomicLong();
        RebalanceWatch blocked = new RebalanceWatch(() -> threads, () -> {
            asked.incrementAndGet();
            return "hanging transactions: t-changelog-1 ...";
        }, clock::get, Duration.ofSeconds(30));
        blocked.changed(State.REBALANCING);
        clock.set(10 * SECOND);
        assertThat(blocked.check()).isNull();
        assertThat(asked).as("an ordinary rebalance asks the cluster nothing").hasValue(0);
        clock.set(30 * SECOND);
        assertThat(blocked.check()).startsWith("pipeline still REBALANCING after 30 s; stream threads")
                .endsWith("standby []; hanging transactions: t-changelog-1 ...");
        assertThat(asked).hasValue(1);
    }

    private void enter(State now) {
        watch.changed(now);
    }

    private static ThreadMetadata thread(String name, String threadState, TaskMetadataImpl active) {
        return new ThreadMetadataImpl(name, threadState, "consumer", "restore-consumer", "producer", "admin",
                Set.of(active), Set.of());
    }
}
