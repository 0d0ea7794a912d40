package io.tracesift.tenantrouting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartitioningTest {

    /** Published FNV-1a 32-bit test vectors (Go's hash/fnv tests use the same). */
    @ParameterizedTest(name = "fnv1a32(\"{0}\") = {1}")
    @CsvSource({
            "'', 811c9dc5",
            "a, e40c292c",
            "ab, 4d2505ca",
            "abc, 1a47e90b",
            "foobar, bf9cf968",
            "1468509572224, 80000000",
    })
    void hashesLikeGoFnv32a(String input, String expectedHex) {
        assertThat(Partitioning.fnv1a32(input.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Integer.parseUnsignedInt(expectedHex, 16));
    }

    /**
     * Sarama's own test key "1468509572224" hashes to 2^31, i.e. int32 minimum: the signed remainder is -48 of 50,
     * negated to 48. The other rows were computed with an independent script following Sarama's Go code; each
     * differs from both the Java-client-style {@code (hash & 0x7fffffff) % n} and the unsigned (librdkafka
     * "consistent") variants, so a mix-up would fail here. The hex keys are trace ids as the exporter writes them.
     */
    @ParameterizedTest(name = "key \"{0}\" over {1} partitions -> {2}")
    @CsvSource({
            "1468509572224, 50, 48",
            "a, 7, 6",
            "foobar, 5, 1",
            "4bf92f3577b34da6a3ce929d0e0e4736, 12, 6",
            "0af7651916cd43dd8448eb211c80319c, 12, 7",
            "0af7651916cd43dd8448eb211c80319c, 1, 0",
    })
    void choosesThePartitionSaramaChooses(String key, int partitions, int expected) {
        assertThat(Partitioning.SARAMA_FNV1A.partition(key.getBytes(StandardCharsets.UTF_8), partitions))
                .isEqualTo(expected);
    }

    /** The Java producer's own choice for a keyed record, so a record it wrote is where this says. */
    @ParameterizedTest(name = "key \"{0}\" over {1} partitions")
    @CsvSource({
            "4bf92f3577b34da6a3ce929d0e0e4736, 4",
            "0af7651916cd43dd8448eb211c80319c, 12",
            "foobar, 5",
    })
    void murmur2ChoosesThePartitionTheJavaProducerChooses(String key, int partitions) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        assertThat(Partitioning.KAFKA_MURMUR2.partition(bytes, partitions))
                .isEqualTo(BuiltInPartitioner.partitionForKey(bytes, partitions));
    }
}
