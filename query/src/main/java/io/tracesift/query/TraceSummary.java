package io.tracesift.query;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the query stores keep about one kept trace besides its spans: enough to list and filter it without
 * reading the spans. Times are epoch nanoseconds as OTLP carries them.
 *
 * @param storedAtMs      when the first record of the trace arrived here (retention counts from it)
 * @param chunksExpected  chunk count announced by the chunk headers (1 when the trace came whole)
 * @param chunksSeen      chunk records received so far (late-span records are not chunks)
 * @param records         records stored for the trace (chunks plus late spans); the next record's sequence
 * @param indexedStartNs  start time under which the search index entries were written, or -1 before indexing
 * @param serviceOperations "service\u0000operation" pairs, at most {@link #MAX_PAIRS}
 * @param pairsOverflow   true when more pairs existed than were kept (operation filters then read the spans)
 */
record TraceSummary(long storedAtMs, long startNs, long endNs, int spanCount, int errorSpans,
                    String rootService, String rootOperation, int chunksExpected, int chunksSeen, int records,
                    long indexedStartNs, Set<String> services, Set<String> serviceOperations, boolean pairsOverflow) {
    static final int MAX_PAIRS = 512;
    private static final int VERSION = 1;

    TraceSummary {
        services = Set.copyOf(services);
        serviceOperations = Set.copyOf(serviceOperations);
    }

    static TraceSummary empty(long storedAtMs, int chunksExpected) {
        return new TraceSummary(storedAtMs, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0, "", "", chunksExpected, 0, 0,
                -1, Set.of(), Set.of(), false);
    }

    /** True once every announced chunk is here. */
    boolean complete() {
        return chunksSeen >= chunksExpected;
    }

    boolean hasSpans() {
        return spanCount > 0;
    }

    long durationNs() {
        return hasSpans() ? Math.max(0, endNs - startNs) : 0;
    }

    boolean hasOperation(String service, String operation) {
        return serviceOperations.contains(service + '\u0000' + operation);
    }

    /** This summary with the facts of one more received record folded in. */
    TraceSummary plus(RecordFacts facts, boolean isChunk) {
        Set<String> svc = new LinkedHashSet<>(services);
        svc.addAll(facts.services());
        Set<String> pairs = new LinkedHashSet<>(serviceOperations);
        boolean overflow = pairsOverflow;
        for (String pair : facts.serviceOperations()) {
            if (pairs.size() < MAX_PAIRS) {
                pairs.add(pair);
            } else if (!pairs.contains(pair)) {
                overflow = true;
            }
        }
        boolean newRoot = rootService.isEmpty() && !facts.rootService().isEmpty();
        return new TraceSummary(storedAtMs, Math.min(startNs, facts.startNs()), Math.max(endNs, facts.endNs()),
                spanCount + facts.spanCount(), errorSpans + facts.errorSpans(),
                newRoot ? facts.rootService() : rootService, newRoot ? facts.rootOperation() : rootOperation,
                chunksExpected, chunksSeen + (isChunk ? 1 : 0), records + 1, indexedStartNs, svc, pairs, overflow);
    }

    TraceSummary indexedAt(long startNs) {
        return new TraceSummary(storedAtMs, this.startNs, endNs, spanCount, errorSpans, rootService, rootOperation,
                chunksExpected, chunksSeen, records, startNs, services, serviceOperations, pairsOverflow);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(storedAtMs);
            out.writeLong(startNs);
            out.writeLong(endNs);
            out.writeInt(spanCount);
            out.writeInt(errorSpans);
            out.writeUTF(rootService);
            out.writeUTF(rootOperation);
            out.writeInt(chunksExpected);
            out.writeInt(chunksSeen);
            out.writeInt(records);
            out.writeLong(indexedStartNs);
            out.writeBoolean(pairsOverflow);
            writeSet(out, services);
            writeSet(out, serviceOperations);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static TraceSummary decode(byte[] raw) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown trace summary version " + version);
            }
            long storedAt = in.readLong();
            long start = in.readLong();
            long end = in.readLong();
            int spans = in.readInt();
            int errors = in.readInt();
            String rootService = in.readUTF();
            String rootOperation = in.readUTF();
            int expected = in.readInt();
            int seen = in.readInt();
            int records = in.readInt();
            long indexedStart = in.readLong();
            boolean overflow = in.readBoolean();
            Set<String> services = readSet(in);
            Set<String> pairs = readSet(in);
            return new TraceSummary(storedAt, start, end, spans, errors, rootService, rootOperation, expected, seen,
                    records, indexedStart, services, pairs, overflow);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeSet(DataOutputStream out, Set<String> set) throws IOException {
        out.writeInt(set.size());
        for (String s : set) {
            out.writeUTF(s);
        }
    }

    private static Set<String> readSet(DataInputStream in) throws IOException {
        int n = in.readInt();
        Set<String> set = new LinkedHashSet<>(n * 2);
        for (int i = 0; i < n; i++) {
            set.add(in.readUTF());
        }
        return set;
    }
}
