package io.tracesift.topology;

/**
 * What ingest forwards: a span group for assembly (key = {@link TraceKey}, value = {@link SpanGroup}), to be
 * assembled in ingest's own task ({@code local}) or sent through the repartition topic; or a dead letter (the source
 * key, the rejected bytes, reason headers).
 */
record IngestResult(boolean deadLetter, boolean local, byte[] value) {
    static IngestResult group(SpanGroup group, boolean local) {
        return new IngestResult(false, local, group.encoded());
    }

    static IngestResult deadLetter(byte[] value) {
        return new IngestResult(true, false, value);
    }
}
