package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.app.HangingTransactions.Coordinated;
import io.tracesift.app.HangingTransactions.Hanging;
import io.tracesift.app.HangingTransactions.Open;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HangingTransactionsTest {
    private static final TopicPartition SPANS_1 = new TopicPartition("app-tracesift-spans-changelog", 1);
    private static final TopicPartition SPANS_2 = new TopicPartition("app-tracesift-spans-changelog", 2);

    @Test
    void anOpenTransactionHangsWhenItsCoordinatorDoesNotCountThePartitionInIt() {
        Open live = new Open(SPANS_2, 3, 131, 4, 500);
        Open dropped = new Open(SPANS_1, 2, 148, 4, 248);
        Open unknown = new Open(SPANS_1, 9, 0, 4, 250);
        Map<Long, Coordinated> coordinators = Map.of(
                // Its markers were dropped: the coordinator finished the commit without SPANS_1.
                2L, new Coordinated("app-3a91-1", "CompleteCommit", Set.of()),
                // A transaction being written or committed still lists its partitions.
                3L, new Coordinated("app-3a91-2", "PrepareCommit", Set.of(SPANS_2)));

        List<Hanging> hanging = HangingTransactions.classify(List.of(live, dropped, unknown), coordinators);

        assertThat(hanging).extracting(Hanging::open).containsExactly(dropped, unknown);
        assertThat(hanging.get(0).ours("app")).isTrue();
        assertThat(hanging.get(0).ours("other")).isFalse();
        assertThat(hanging.get(1).ours("app")).as("a producer no coordinator knows is nobody's to abort").isFalse();
        assertThat(hanging.get(0).describe()).isEqualTo("app-tracesift-spans-changelog-1 holds a transaction open from"
                + " offset 248 (producer 2, epoch 148) that its coordinator no longer counts (app-3a91-1 is CompleteCommit)");
        assertThat(hanging.get(1).describe()).endsWith("that its coordinator does not know");
        assertThat(hanging.get(0).abortCommand("127.0.0.1:9092")).isEqualTo("kafka-transactions.sh --bootstrap-server"
                + " 127.0.0.1:9092 abort --topic app-tracesift-spans-changelog --partition 1 --start-offset 248");
    }
}
