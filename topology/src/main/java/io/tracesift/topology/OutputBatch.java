package io.tracesift.topology;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.serdes.ScannedSpan;
import io.tracesift.serdes.SpanOrigin;

import com.google.protobuf.CodedOutputStream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects stored spans into one encoded ExportTraceServiceRequest, grouped by resource and scope (spans whose
 * resource and schema URL are equal share one ResourceSpans, likewise for scopes within it; insertion order kept),
 * copying each span's stored bytes followed by a suffix: encoded Span fields (for example attributes, field 9),
 * which protobuf merges into the span as if they were set on it.
 */
final class OutputBatch {
    /** Wire overhead allowance for one span (tag + length prefix). */
    private static final int SPAN_OVERHEAD = 6;
    /** Wire overhead allowance for one ResourceSpans or ScopeSpans header besides its content. */
    private static final int GROUP_OVERHEAD = 16;
    /** Field tags (number << 3 | length-delimited) of the messages this batch writes. */
    private static final int FIELD_1 = 1 << 3 | 2;
    private static final int FIELD_2 = 2 << 3 | 2;
    private static final int SCHEMA_URL = 3 << 3 | 2;

    private final Map<SpanOrigin, Map<SpanOrigin, List<ScannedSpan>>> groups = new LinkedHashMap<>();
    private final byte[] spanSuffix;
    private long estimatedBytes;
    /** The origins of the last span added and the list it went to. */
    private SpanOrigin lastResource;
    private SpanOrigin lastScope;
    private List<ScannedSpan> lastSpans;

    OutputBatch(byte[] spanSuffix) {
        this.spanSuffix = spanSuffix;
    }

    void add(ScannedSpan span) {
        // Spans of one stored group share their origin objects: compare the bytes once per group, not per span.
        if (span.scope() != lastScope || span.resource() != lastResource) {
            Map<SpanOrigin, List<ScannedSpan>> scopes = groups.get(span.resource());
            if (scopes == null) {
                scopes = new LinkedHashMap<>();
                groups.put(span.resource(), scopes);
                estimatedBytes += originCost(span.resource());
            }
            List<ScannedSpan> spans = scopes.get(span.scope());
            if (spans == null) {
                spans = new ArrayList<>();
                scopes.put(span.scope(), spans);
                estimatedBytes += originCost(span.scope());
            }
            lastResource = span.resource();
            lastScope = span.scope();
            lastSpans = spans;
        }
        lastSpans.add(span);
        estimatedBytes += span.length() + spanSuffix.length + SPAN_OVERHEAD;
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    /** An upper bound of the encoded request's size in bytes. */
    long estimatedBytes() {
        return estimatedBytes;
    }

    /** What adding {@code span} would add to {@link #estimatedBytes()}, at most. */
    long costOf(ScannedSpan span) {
        return originCost(span.resource()) + originCost(span.scope()) + span.length() + spanSuffix.length + SPAN_OVERHEAD;
    }

    /** What a decoded span with its resource and scope would add to an empty batch without a suffix, at most. */
    static long costOf(ResourceSpans origin, ScopeSpans originScope, Span span) {
        return origin.getResource().getSerializedSize() + origin.getSchemaUrl().length()
                + originScope.getScope().getSerializedSize() + originScope.getSchemaUrl().length()
                + 2L * GROUP_OVERHEAD + span.getSerializedSize() + SPAN_OVERHEAD;
    }

    /**
     * At least {@link #costOf(ResourceSpans, ScopeSpans, Span)} of every span decoded from an encoded request of this
     * many bytes (decoding never makes a message larger than the bytes it came from, and a schema URL has no more
     * characters than bytes).
     */
    static long costBound(int requestBytes) {
        return requestBytes + 2L * GROUP_OVERHEAD + SPAN_OVERHEAD;
    }

    private static long originCost(SpanOrigin origin) {
        return origin.length() + origin.schemaUrl().length() + GROUP_OVERHEAD;
    }

    /** The encoded ExportTraceServiceRequest: an array of exactly its size, sizes computed first. */
    byte[] encode() {
        List<int[]> sizes = new ArrayList<>(groups.size());
        int total = 0;
        for (Map.Entry<SpanOrigin, Map<SpanOrigin, List<ScannedSpan>>> r : groups.entrySet()) {
            int[] scopeSizes = new int[r.getValue().size() + 1];
            int resource = field(FIELD_1, r.getKey().length());
            int i = 1;
            for (Map.Entry<SpanOrigin, List<ScannedSpan>> s : r.getValue().entrySet()) {
                int scope = field(FIELD_1, s.getKey().length()) + schemaUrlSize(s.getKey());
                for (ScannedSpan span : s.getValue()) {
                    scope += field(FIELD_2, span.length() + spanSuffix.length);
                }
                scopeSizes[i++] = scope;
                resource += field(FIELD_2, scope);
            }
            scopeSizes[0] = resource + schemaUrlSize(r.getKey());
            sizes.add(scopeSizes);
            total += field(FIELD_1, scopeSizes[0]);
        }
        byte[] out = new byte[total];
        int at = 0;
        int r = 0;
        for (Map.Entry<SpanOrigin, Map<SpanOrigin, List<ScannedSpan>>> resource : groups.entrySet()) {
            int[] scopeSizes = sizes.get(r++);
            at = header(out, at, FIELD_1, scopeSizes[0]);
            at = writeOrigin(out, at, resource.getKey());
            int i = 1;
            for (Map.Entry<SpanOrigin, List<ScannedSpan>> scope : resource.getValue().entrySet()) {
                at = header(out, at, FIELD_2, scopeSizes[i++]);
                at = writeOrigin(out, at, scope.getKey());
                for (ScannedSpan span : scope.getValue()) {
                    at = header(out, at, FIELD_2, span.length() + spanSuffix.length);
                    System.arraycopy(span.buf(), span.offset(), out, at, span.length());
                    at += span.length();
                    System.arraycopy(spanSuffix, 0, out, at, spanSuffix.length);
                    at += spanSuffix.length;
                }
                at = writeSchemaUrl(out, at, scope.getKey());
            }
            at = writeSchemaUrl(out, at, resource.getKey());
        }
        if (at != out.length) {
            throw new IllegalStateException("output batch wrote " + at + " bytes into an array of its computed size " + out.length);
        }
        return out;
    }

    /** Bytes of a length-delimited field with a one-byte tag and {@code length} bytes of content. */
    private static int field(int tag, int length) {
        return CodedOutputStream.computeUInt32SizeNoTag(tag) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
    }

    private static int schemaUrlSize(SpanOrigin origin) {
        return origin.schemaUrl().isEmpty() ? 0 : CodedOutputStream.computeStringSize(3, origin.schemaUrl());
    }

    /** A one-byte tag and a varint length; returns the position after them. */
    private static int header(byte[] out, int at, int tag, int length) {
        out[at++] = (byte) tag;
        return varint(out, at, length);
    }

    private static int varint(byte[] out, int at, int value) {
        while ((value & ~0x7f) != 0) {
            out[at++] = (byte) (value & 0x7f | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    /** Field 1 (the resource or the scope), written even when empty, as protobuf writes a set message field. */
    private static int writeOrigin(byte[] out, int at, SpanOrigin origin) {
        at = header(out, at, FIELD_1, origin.length());
        System.arraycopy(origin.buf(), origin.offset(), out, at, origin.length());
        return at + origin.length();
    }

    private static int writeSchemaUrl(byte[] out, int at, SpanOrigin origin) {
        if (origin.schemaUrl().isEmpty()) {
            return at;
        }
        byte[] url = origin.schemaUrl().getBytes(StandardCharsets.UTF_8);
        at = header(out, at, SCHEMA_URL, url.length);
        System.arraycopy(url, 0, out, at, url.length);
        return at + url.length;
    }
}
