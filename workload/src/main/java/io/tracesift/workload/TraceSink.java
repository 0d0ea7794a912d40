package io.tracesift.workload;

/** Where the generator runner delivers batches: Kafka directly ({@link KafkaTraceSink}) or the gateway. */
public interface TraceSink extends AutoCloseable {

    /** Hands one batch over; may block for back-pressure. */
    void send(TraceBatch batch) throws InterruptedException;

    /** Waits until every batch handed over so far is delivered or has failed. */
    void flush() throws InterruptedException;

    /** Batches that could not be delivered so far. */
    long failedBatches();

    @Override
    void close();
}
