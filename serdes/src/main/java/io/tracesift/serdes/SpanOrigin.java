package io.tracesift.serdes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The resource or the instrumentation scope that spans came under, as its encoded message (a range of a larger
 * array, never copied, or for a resource its own copy shared by every record that repeats it: see
 * {@link RecentResources}; do not modify it) and the schema URL of the ResourceSpans or ScopeSpans that carried it.
 * Two origins are equal when both are equal byte for byte.
 */
public final class SpanOrigin {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** 2^64 / golden ratio, odd: a multiply that spreads every input bit over the high half. */
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private final byte[] buf;
    private final int offset;
    private final int length;
    private final String schemaUrl;
    private int hash;
    /** The origin's attributes, indexed at the first lookup (not thread-safe). */
    private AttributeIndex attributes;

    SpanOrigin(byte[] buf, int offset, int length, String schemaUrl) {
        this.buf = buf;
        this.offset = offset;
        this.length = length;
        this.schemaUrl = schemaUrl;
    }

    /** The same origin over its own copy of the bytes (so that keeping it keeps no larger array alive). */
    SpanOrigin detached() {
        SpanOrigin copy = new SpanOrigin(Arrays.copyOfRange(buf, offset, offset + length), 0, length, schemaUrl);
        copy.hash = hashCode();
        return copy;
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
            // Eight bytes a step: a resource is hundreds of bytes, and output batches and per-trace groups hash each
            // resource and scope of every span group they collect.
            long x = schemaUrl.hashCode();
            int i = offset;
            int end = offset + length;
            for (; i <= end - Long.BYTES; i += Long.BYTES) {
                x = (x ^ (long) LONGS.get(buf, i)) * MIX;
                x ^= x >>> 32;
            }
            for (; i < end; i++) {
                x = (x ^ buf[i]) * MIX;
            }
            // The high half of a product depends on every bit of x (its low half only on x's low half).
            h = (int) (x * MIX >>> 32);
            hash = h == 0 ? 1 : h;
        }
        return hash;
    }
}
