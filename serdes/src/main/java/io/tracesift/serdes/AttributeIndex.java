package io.tracesift.serdes;

import com.google.protobuf.InvalidProtocolBufferException;

import java.util.Arrays;

/**
 * Where a message's attributes (KeyValue fields of one number) are in its bytes, found in one pass: metrics and the
 * service graph ask a span for several keys, many of them absent, and walking the wire format once per key was about
 * 40 % of their cost in the benchmark's profile. A lookup compares key lengths first, so an absent key costs a few
 * int comparisons.
 * An index keeps the values it has decoded, and can be refilled for another message ({@link #index}), so that one
 * index per thread serves every span it reads ({@link #ofSpan}).
 */
final class AttributeIndex {
    private static final int KEY = 1 << 3 | Wire.LEN;
    private static final int VALUE = 2 << 3 | Wire.LEN;
    /** Per attribute: key offset, key length, KeyValue offset and length (or its value's: see {@link #keyOf}). */
    private static final int STRIDE = 4;
    private static final int[] NONE = new int[0];
    /** Room for this many attributes at first: instrumented spans carry a dozen or so, and each growth copies. */
    private static final int INITIAL_ATTRIBUTES = 16;

    private byte[] buf;
    private int[] entries = NONE;
    /** Per attribute: its decoded value, valid when {@code decodedIn} holds the current message's number. */
    private Object[] values = new Object[0];
    /**
     * Per attribute: the number of the message ({@link #indexed}) whose value {@code values} holds. Refilling the index
     * for another message then forgets every value by counting, instead of writing each slot as the spans of a
     * resource come by.
     */
    private int[] decodedIn = NONE;
    private int indexed;
    private int count;
    /**
     * One bit per key's {@link #bit}: a key whose bit is clear is absent without comparing it with every key. Spans
     * are asked for keys most of them lack (the service graph's peer attributes, agent metrics' operation, the
     * resource's fallback for each of them).
     */
    private long keyBits;
    /** What the index currently describes (see {@link #ofSpan}); null while refilling or after a failure. */
    private Object owner;

    /**
     * Each thread's index of span attributes, refilled for the span asked last. Spans are asked for all their keys at
     * once, and each record scanned is a new set of spans: an index per span, or per record, was most of what span
     * metrics allocated.
     */
    private static final ThreadLocal<AttributeIndex> SPANS = ThreadLocal.withInitial(AttributeIndex::new);

    /** This thread's index of the fields {@code tag} of {@code span}, the message {@code buf[from, to)}. */
    static AttributeIndex ofSpan(Object span, byte[] buf, int from, int to, int tag, String message) {
        AttributeIndex index = SPANS.get();
        if (index.owner != span) {
            index.index(buf, from, to, tag, message);
            index.owner = span;
        }
        return index;
    }

    /** An index of the fields {@code tag} of the message {@code buf[from, to)}; see {@link #index}. */
    static AttributeIndex of(byte[] buf, int from, int to, int tag, String message) {
        AttributeIndex index = new AttributeIndex();
        index.index(buf, from, to, tag, message);
        return index;
    }

    /**
     * Indexes the fields {@code tag} of the message {@code buf[from, to)}, forgetting the previous message.
     *
     * @throws IllegalStateException when the bytes are not well-formed (they were scanned whole, so never in practice)
     */
    void index(byte[] buf, int from, int to, int tag, String message) {
        this.buf = buf;
        owner = null;
        if (++indexed == 0) { // after 2^32 messages: no slot may claim the new number
            Arrays.fill(decodedIn, 0);
            indexed = 1;
        }
        count = 0;
        keyBits = 0;
        Wire wire = new Wire(buf, from, to, message);
        // Attribute tags are one byte (field numbers below 16); nearly every KeyValue is shorter than 128 bytes.
        byte tagByte = (byte) tag;
        try {
            int p = from;
            while (p < to) {
                int at;
                int len;
                if (buf[p] == tagByte && p + 1 < to && buf[p + 1] >= 0 && p + 2 + buf[p + 1] <= to) {
                    len = buf[p + 1];
                    at = p + 2;
                } else {
                    wire.pos = p;
                    int t = wire.tag();
                    if (t != tag) {
                        wire.skipField(t);
                        p = wire.pos;
                        continue;
                    }
                    len = wire.length();
                    at = wire.skip(len);
                }
                p = at + len;
                if (count * STRIDE == entries.length) {
                    grow();
                }
                int e = count++ * STRIDE;
                entries[e + 2] = at;
                entries[e + 3] = len;
                keyOf(buf, at, len, entries, e);
                keyBits |= bit(buf, entries[e], entries[e + 1]);
            }
        } catch (OtlpDecodeException e) {
            count = 0;
            throw new IllegalStateException("corrupt scanned " + message + ": " + e.getMessage(), e);
        }
    }

    private void grow() {
        entries = Arrays.copyOf(entries, Math.max(INITIAL_ATTRIBUTES * STRIDE, entries.length * 2));
        values = new Object[entries.length / STRIDE];
        // Zeros: no slot claims the current message's number.
        decodedIn = new int[values.length];
    }

    /**
     * The key's position in a KeyValue (protobuf keeps the last of a field sent twice); length 0 when it has none.
     * Nearly every KeyValue is a key then a value, each shorter than 128 bytes: those are read without a walk, and
     * their entry then holds the value's position instead of the KeyValue's, its length as {@code -1 - length}.
     */
    private static void keyOf(byte[] buf, int at, int len, int[] entries, int e) throws OtlpDecodeException {
        int end = at + len;
        if (len >= 2 && buf[at] == KEY && buf[at + 1] >= 0) {
            int keyLen = buf[at + 1];
            int p = at + 2 + keyLen;
            if (p == end || p < end - 1 && buf[p] == VALUE && buf[p + 1] >= 0 && p + 2 + buf[p + 1] == end) {
                entries[e] = at + 2;
                entries[e + 1] = keyLen;
                if (p < end) {
                    entries[e + 2] = p + 2;
                    entries[e + 3] = -1 - buf[p + 1];
                }
                return;
            }
        }
        Wire kv = new Wire(buf, at, at + len, "KeyValue");
        int keyAt = at, keyLen = 0;
        while (kv.pos < kv.limit) {
            int t = kv.tag();
            if (t == KEY) {
                keyLen = kv.length();
                keyAt = kv.skip(keyLen);
            } else {
                kv.skipField(t);
            }
        }
        entries[e] = keyAt;
        entries[e + 1] = keyLen;
    }

    /** A bit of 64 for the key {@code buf[at, at + len)}, from its length and its first and last bytes. */
    private static long bit(byte[] buf, int at, int len) {
        int h = len == 0 ? 0 : (len * 31 + buf[at]) * 31 + buf[at + len - 1];
        return 1L << ((h * 0x9E3779B9) >>> 26);
    }

    /** The value of the first attribute with this key; null when there is none or it has no value. */
    Object first(byte[] key) {
        int i = find(key, 0);
        return i < 0 ? null : value(i);
    }

    /** The index of the first attribute at or after {@code from} with this key, or -1. */
    int find(byte[] key, int from) {
        if ((keyBits & bit(key, 0, key.length)) == 0) {
            return -1;
        }
        for (int i = from; i < count; i++) {
            int e = i * STRIDE;
            int keyLen = entries[e + 1];
            if (keyLen == key.length && Arrays.equals(buf, entries[e], entries[e] + keyLen, key, 0, keyLen)) {
                return i;
            }
        }
        return -1;
    }

    /** Attribute {@code i}'s value as {@link OtlpValues#plain} gives it; null when it has none. */
    Object value(int i) {
        if (decodedIn[i] == indexed) {
            return values[i];
        }
        int e = i * STRIDE;
        try {
            int len = entries[e + 3];
            Object value = len < 0 ? ScannedSpan.anyValue(buf, entries[e + 2], -1 - len)
                    : ScannedSpan.value(buf, entries[e + 2], len);
            values[i] = value;
            decodedIn[i] = indexed;
            return value;
        } catch (OtlpDecodeException | InvalidProtocolBufferException ex) {
            throw new IllegalStateException("corrupt scanned attribute: " + ex.getMessage(), ex);
        }
    }
}
