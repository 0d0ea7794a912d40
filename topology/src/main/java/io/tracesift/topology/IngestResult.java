package io.tracesift.topology;

/**
 * What ingest forwards: a span group for assembly (key = {@link TraceKey}, value = {@link SpanGroup}) or a
 * dead letter (the source key, the rejected bytes, reason headers).
 */
record IngestResult(boolean deadLetter, byte[] value) {
    static IngestResult group(SpanGroup group) {
        return new IngestResult(false, group.encoded());
    }

    static IngestResult deadLetter(byte[] value) {
        return new IngestResult(true, value);
    }
}
