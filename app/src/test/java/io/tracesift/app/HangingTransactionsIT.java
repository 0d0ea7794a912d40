package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.app.config.AppSettings;
import io.tracesift.kafkalocal.LocalKafkaExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On a real broker: a transaction that is merely open is never taken for a hanging one, nor aborted. */
class HangingTransactionsIT {
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();
    private static final Predicate<String> OURS = topic -> topic.startsWith("hanging-it-");

    /** A producer with a transaction begun, over a new topic of this many partitions. */
    private static KafkaProducer<byte[], byte[]> inTransaction(Admin admin, String transactionalId, String topic,
                                                               int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId),
                new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        producer.beginTransaction();
        return producer;
    }

    @Test
    void anOpenTransactionItsCoordinatorKnowsIsLeftAloneAndItsCommitGoesThrough() throws Exception {
        String topic = "hanging-it-tracesift-spans-changelog";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
             KafkaProducer<byte[], byte[]> producer = inTransaction(admin, "hanging-it-1", topic, 2)) {
            producer.send(new ProducerRecord<>(topic, 1, null, new byte[] {1})).get();
            producer.flush();

            TopicPartition open = new TopicPartition(topic, 1);
            long stable = admin.listOffsets(Map.of(open, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().get(open).offset();
            long end = admin.listOffsets(Map.of(open, OffsetSpec.latest())).all().get().get(open).offset();
            assertThat(stable).as("the open transaction holds the last stable offset back").isLessThan(end);

            assertThat(HangingTransactions.inspect(admin, OURS, "hanging-it", KAFKA.bootstrapServers(), true)).isEmpty();

            producer.commitTransaction(); // would fail had the inspection aborted it
        }
    }

    @Test
    void aTransactionItsCoordinatorHasLeftIsAbortedAndThePartitionsReadersGoOn() throws Exception {
        String topic = "hanging-it-tracesift-decisions-changelog";
        TopicPartition open = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
             KafkaProducer<byte[], byte[]> producer = inTransaction(admin, "hanging-it-2", topic, 1)) {
            producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {1})).get();
            producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {2})).get();
            producer.flush();
            long end = admin.listOffsets(Map.of(open, OffsetSpec.latest())).all().get().get(open).offset();

            // The broker's real open transaction; only the coordinator's answer is the one a dropped marker leaves.
            // Another application's transaction is named, with the command that ends it, and left open:
            assertThat(HangingTransactions.inspect(admin, OURS, "hanging-it", KAFKA.bootstrapServers(), true,
                    (a, producers) -> Map.of(producers.iterator().next(),
                            new HangingTransactions.Coordinated("other-app-1", "Empty", Set.of()))))
                    .singleElement().asString().endsWith("end it with kafka-transactions.sh --bootstrap-server "
                            + KAFKA.bootstrapServers() + " abort --topic " + topic + " --partition 0 --start-offset 0");
            assertThat(admin.listOffsets(Map.of(open, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().get(open).offset()).isZero();
            // This application's is aborted:
            List<String> found = HangingTransactions.inspect(admin, OURS, "hanging-it", KAFKA.bootstrapServers(), true,
                    (a, producers) -> Map.of(producers.iterator().next(),
                            new HangingTransactions.Coordinated("hanging-it-2", "CompleteCommit", Set.of())));

            assertThat(found).singleElement().asString()
                    .startsWith("hanging-it-tracesift-decisions-changelog-0 holds a transaction open from offset 0")
                    .contains("no longer counts (hanging-it-2 is CompleteCommit): aborted it")
                    .endsWith("(offsets 0 to 1 at most) are lost to them");
            long stable = admin.listOffsets(Map.of(open, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().get(open).offset();
            assertThat(stable).as("the abort marker ends it: a read_committed reader reaches the end")
                    .isGreaterThan(end);
            assertThat(HangingTransactions.inspect(admin, OURS, "hanging-it", KAFKA.bootstrapServers(), true)).isEmpty();
        }
    }

    @Test
    void aGroupsOffsetsLeftInAHangingTransactionAreAbortedSoTheirFetchAnswersAgain() throws Exception {
        String topic = "hanging-it-input";
        String group = "hanging-it-group";
        TopicPartition input = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
             KafkaProducer<byte[], byte[]> producer = inTransaction(admin, "hanging-it-3", topic, 1)) {
            // The group's last offset, then what a stream thread's commit does: the consumed offsets go to
            // __consumer_offsets in its transaction.
            admin.alterConsumerGroupOffsets(group, Map.of(input, new OffsetAndMetadata(7))).all()
                    .get(10, TimeUnit.SECONDS);
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(42)), new ConsumerGroupMetadata(group));
            // A stream thread's consumer fetches its partitions' offsets as stable ones (read_committed).
            Map<String, ListConsumerGroupOffsetsSpec> ofInput = Map.of(group,
                    new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(input)));
            ListConsumerGroupOffsetsOptions stable = new ListConsumerGroupOffsetsOptions().requireStable(true);
            assertThat(admin.listConsumerGroupOffsets(ofInput).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(input).offset()).as("the last stable offset").isEqualTo(7);
            // The broker answers the partition "not yet stable" (which the admin client leaves out of its answer).
            assertThat(admin.listConsumerGroupOffsets(ofInput, stable).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS)).as("the group's offsets wait for the open transaction")
                    .doesNotContainKey(input);

            // The pipeline's own choice of topics, which takes in __consumer_offsets; the coordinator's answer is the
            // one a dropped marker leaves (see the test above).
            List<String> found = HangingTransactions.inspect(admin, Pipeline.writtenTopics("hanging-it", "hanging-it-dlq"),
                    "hanging-it", KAFKA.bootstrapServers(), true, (a, producers) -> Map.of(producers.iterator().next(),
                            new HangingTransactions.Coordinated("hanging-it-3", "Empty", Set.of())));

            assertThat(found).singleElement().asString().startsWith("__consumer_offsets-")
                    .contains("no longer counts (hanging-it-3 is Empty): aborted it");
            assertThat(admin.listConsumerGroupOffsets(ofInput, stable).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS).get(input).offset()).as("answered, without the aborted commit")
                    .isEqualTo(7);
        }
    }

    @Test
    void thePipelinesWatchAsksTheClusterWithItsOwnKafkaSettingsAndFindsNothingWhenNothingHangs() throws Exception {
        // The demo's kafka section: consumer and group settings that an admin client does not use must not stop it.
        AppSettings app = new AppSettings(KAFKA.bootstrapServers(), "hanging-it-app", Path.of("unused"), 0, Map.of(
                "bootstrap.servers", KAFKA.bootstrapServers(), "metadata.max.age.ms", "10000",
                "main.consumer.group.instance.id", "hanging-it-app-1", "session.timeout.ms", "10000"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
             KafkaProducer<byte[], byte[]> producer = inTransaction(admin, "hanging-it-app-1", "traces.hanging-it", 1)) {
            producer.send(new ProducerRecord<>("traces.hanging-it", 0, null, new byte[] {1})).get();
            producer.flush();

            assertThat(Pipeline.hangingTransactions(app, "tracesift-dlq", true)).isNull();

            producer.commitTransaction();
        }
    }
}
