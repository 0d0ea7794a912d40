package io.tracesift.serdes;

/**
 * A 64-bit signature of a span's attribute keys, taken while {@link SpanScanner} passes over them anyway: one bit
 * per key, from its length and a few of its bytes. Most keys metrics and the service graph ask a span for are
 * absent (a database system on an HTTP call, a GenAI operation on a plain span); a clear bit says so without
 * reading the attributes. A set bit proves nothing. A KeyValue not written the usual way (key first, once, then at
 * most one value) sets every bit, so its key is never missed.
 */
public final class AttributeKeys {
    /** Every bit: any key may be present. */
    static final long ANY = -1L;

    private static final int KEY_TAG = 1 << 3 | Wire.LEN;
    private static final int VALUE_TAG = 2 << 3 | Wire.LEN;

    private AttributeKeys() {}

    /** The bit of this key (its UTF-8 bytes). */
    public static long of(byte[] key) {
        return bit(key, 0, key.length);
    }

    /** The bit of the key of the KeyValue {@code buf[at, at + len)}, or {@link #ANY} when it is not written the usual way. */
    static long of(byte[] buf, int at, int len) {
        int end = at + len;
        if (len < 2 || buf[at] != KEY_TAG || buf[at + 1] < 0) {
            return ANY;
        }
        int keyLen = buf[at + 1];
        int keyAt = at + 2;
        int p = keyAt + keyLen;
        if (p == end) {
            return bit(buf, keyAt, keyLen);
        }
        // One value field after the key, ending the KeyValue: nothing after it can rename the key.
        if (p > end - 2 || buf[p] != VALUE_TAG) {
            return ANY;
        }
        int valueLen = 0;
        int shift = 0;
        p++;
        while (true) {
            if (p >= end || shift > 28) {
                return ANY;
            }
            byte b = buf[p++];
            valueLen |= (b & 0x7f) << shift;
            if (b >= 0) {
                break;
            }
            shift += 7;
        }
        return valueLen >= 0 && p + valueLen == end ? bit(buf, keyAt, keyLen) : ANY;
    }

    private static long bit(byte[] buf, int at, int len) {
        int h = len;
        if (len > 0) {
            h = h * 31 + buf[at + len - 1];
            h = h * 31 + buf[at + len / 2];
            h = h * 31 + buf[at + len / 3];
        }
        h ^= h >>> 7;
        return 1L << (h & 63);
    }
}
