package io.tracesift.topology;

import org.junit.jupiter.api.Test;
import org.rocksdb.Options;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SpanStoreRocksDbTest {
    @Test
    void onlyTheSpanStoreGetsLargerMemtablesFlushedTwoAtATime() {
        try (Options spans = new Options(); Options index = new Options(); Options defaults = new Options()) {
            SpanStoreRocksDb setter = new SpanStoreRocksDb();
            setter.setConfig(TracesiftTopology.SPAN_STORE, spans, Map.of());
            setter.setConfig(TracesiftTopology.INDEX_STORE, index, Map.of());

            assertThat(spans.writeBufferSize()).isEqualTo(32L * 1024 * 1024);
            assertThat(spans.maxWriteBufferNumber()).isEqualTo(4);
            assertThat(spans.minWriteBufferNumberToMerge()).isEqualTo(2);
            assertThat(index.writeBufferSize()).isEqualTo(defaults.writeBufferSize());
            assertThat(index.maxWriteBufferNumber()).isEqualTo(defaults.maxWriteBufferNumber());
            assertThat(index.minWriteBufferNumberToMerge()).isEqualTo(defaults.minWriteBufferNumberToMerge());
        }
    }

    @Test
    void theStreamsPropertiesInstallItUnlessOverridden() {
        assertThat(TracesiftTopology.streamsProperties("app", "localhost:9092", null, Map.of())
                .get("rocksdb.config.setter")).isEqualTo(SpanStoreRocksDb.class.getName());
        assertThat(TracesiftTopology.streamsProperties("app", "localhost:9092", null,
                Map.of("rocksdb.config.setter", "com.example.Mine")).get("rocksdb.config.setter")).isEqualTo("com.example.Mine");
    }
}
