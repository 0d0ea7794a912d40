package io.tracesift.topology;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

import java.util.Map;

/**
 * RocksDB settings for the span store ({@link TracesiftTopology#SPAN_STORE}); every other store keeps Kafka Streams'
 * defaults. A stored span group lives for seconds: it is deleted when its trace is decided, about send-delay after
 * the root arrives. With Kafka Streams' default memtables (three of 16 MB) most groups were flushed to disk while
 * still alive and compacted away later, which made RocksDB's background threads about a tenth of the pipeline's CPU
 * in the benchmark. Larger memtables, flushed two at a time, let a group and its deletion meet in memory, where the
 * flush drops both and writes a small tombstone.
 */
public final class SpanStoreRocksDb implements RocksDBConfigSetter {
    static final long WRITE_BUFFER_BYTES = 32L * 1024 * 1024;
    static final int WRITE_BUFFERS = 4;
    static final int BUFFERS_MERGED_PER_FLUSH = 2;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        if (TracesiftTopology.SPAN_STORE.equals(storeName)) {
            options.setWriteBufferSize(WRITE_BUFFER_BYTES);
            options.setMaxWriteBufferNumber(WRITE_BUFFERS);
            options.setMinWriteBufferNumberToMerge(BUFFERS_MERGED_PER_FLUSH);
        }
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing allocated here to release.
    }
}
