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
