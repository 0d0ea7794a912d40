package io.tracesift.serdes;

import java.util.Arrays;

/**
 * The resource or the instrumentation scope that spans came under, as its encoded message (a range of a larger
 * array, never copied: do not modify it) and the schema URL of the ResourceSpans or ScopeSpans that carried it.
 * Two origins are equal when both are equal byte for byte.
 */
public final class SpanOrigin {
    private final byte[] buf;
    private final int offset;
    private final int length;
    private final String schemaUrl;
    private int hash;
    /** The origin's attributes, indexed at the first lookup (as the child index below: not thread-safe). */
    private AttributeIndex attributes;
    /**
     * The attributes of the child message (span) asked last, in one index refilled per child: a span is asked for
     * all its keys at once, and a new index per span was most of what span metrics allocated.
     */
    private AttributeIndex childIndex;
    private Object childIndexed;

    SpanOrigin(byte[] buf, int offset, int length, String schemaUrl) {
        this.buf = buf;
        this.offset = offset;
        this.length = length;
        this.schemaUrl = schemaUrl;
    }

    public byte[] buf() {
        return buf;
    }

    public int offset() {
        return offset;
    }

    /** Length of the encoded message; 0 for an absent (default) one. */
    public int length() {
        return length;
    }

    /** "" when absent. */
    public String schemaUrl() {
        return schemaUrl;
    }

    /** The attributes (fields {@code tag}) of this origin's message, indexed once. */
    AttributeIndex attributeIndex(int tag, String message) {
        if (attributes == null) {
            attributes = AttributeIndex.of(buf, offset, offset + length, tag, message);
        }
        return attributes;
    }

    /** The attributes (fields {@code tag}) of {@code child}, the message {@code buf[from, to)} under this origin. */
    AttributeIndex childIndex(Object child, byte[] buf, int from, int to, int tag, String message) {
        if (childIndexed != child) {
            if (childIndex == null) {
                childIndex = new AttributeIndex();
            }
            childIndexed = null;
            childIndex.index(buf, from, to, tag, message);
            childIndexed = child;
        }
        return childIndex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpanOrigin other && (other == this || other.hashCode() == hashCode()
                && Arrays.equals(buf, offset, offset + length, other.buf, other.offset, other.offset + other.length)
                && schemaUrl.equals(other.schemaUrl));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = schemaUrl.hashCode();
            for (int i = offset; i < offset + length; i++) {
                h = 31 * h + buf[i];
            }
            hash = h == 0 ? 1 : h;
        }
        return hash;
    }
}
