package io.tracesift.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A store layer that holds a task's writes between commits and passes them to the store below (RocksDB, and its
 * changelog if logged) when Kafka Streams flushes before each commit. They then reach the changelog in the same
 * transaction as the input offsets they belong to, and a task that dies drops them with its uncommitted work:
 * {@link #init} and {@link #close} forget them. Writing them early is as safe; subclasses do so past a bound, and
 * every scan by the writing thread (the task's stream thread) writes them first. Other threads (interactive
 * queries) must not touch them except through what a subclass makes safe for them.
 */
abstract class PendingWritesLayer extends WriteByPutLayer {
    private volatile Thread writer;

    PendingWritesLayer(KeyValueStore<Bytes, byte[]> inner) {
        super(inner);
    }

    /** Passes every pending write to the store below. */
    abstract void writePending();

    /** Forgets every pending write. */
    abstract void dropPending();

    /** Remembers the calling thread as the one that writes: call it from {@link #put}. */
    final void noteWriter() {
        Thread current = Thread.currentThread();
        if (writer != current) {
            writer = current;
        }
    }

    /** Whether the calling thread is the one that writes (and so may see and pass down pending writes). */
    final boolean isWriter() {
        return Thread.currentThread() == writer;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        dropPending();
        super.init(context, root);
    }

    @Override
    public void close() {
        dropPending();
        super.close();
    }

    @Override
    public void flushCache() {
        writePending();
        super.flushCache();
    }

    @Override
    public void flush() {
        writePending();
        super.flush();
    }

    /** Only the writing thread passes its pending writes down: a query thread's scan must not write. */
    @Override
    void beforeScan() {
        if (isWriter()) {
            writePending();
        }
    }
}
