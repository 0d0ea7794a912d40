package io.tracesift.serdes;

/**
 * A cursor over one protobuf message's bytes, for the scanners that read OTLP without building objects.
 * Malformed structure is reported as {@link OtlpDecodeException} with reason {@code undecodable-protobuf}.
 */
final class Wire {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LEN = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    /** protobuf-java's default recursion limit. */
    private static final int MAX_GROUP_DEPTH = 100;

    final byte[] buf;
    final int limit;
    int pos;
    /** The message type named in errors, e.g. "Span". */
    private final String message;

    Wire(byte[] buf, int pos, int limit, String message) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
        this.message = message;
    }

    /** Like protobuf-java, keeps the low 32 bits of an over-long tag or length varint. */
    int tag() throws OtlpDecodeException {
        int tag = (int) varint();
        if (tag >>> 3 == 0) {
            throw malformed("invalid field tag " + tag);
        }
        return tag;
    }

    long varint() throws OtlpDecodeException {
        // Tags, lengths below 128 and small numbers take one byte: most varints of a span.
        if (pos < limit && buf[pos] >= 0) {
            return buf[pos++];
        }
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw malformed("truncated varint");
            }
            byte b = buf[pos++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    long fixed64() throws OtlpDecodeException {
        if (limit - pos < 8) {
            throw malformed("truncated fixed64");
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (buf[pos + i] & 0xffL);
        }
        pos += 8;
        return v;
    }

    int length() throws OtlpDecodeException {
        int len = (int) varint();
        if (len < 0 || len > limit - pos) {
            throw malformed("length " + len + " runs past the end of the message");
        }
        return len;
    }

    /** Advances over {@code n} bytes already checked against the limit; returns where they start. */
    int skip(int n) {
        int at = pos;
        pos += n;
        return at;
    }

    void skipField(int tag) throws OtlpDecodeException {
        switch (tag & 7) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LEN -> skip(length());
            case FIXED32 -> advance(4);
            case START_GROUP -> skipGroup(tag >>> 3, 1);
            case END_GROUP -> throw malformed("unexpected end-group tag for field " + (tag >>> 3));
            default -> throw malformed("invalid wire type " + (tag & 7) + " for field " + (tag >>> 3));
        }
    }

    private void skipGroup(int field, int depth) throws OtlpDecodeException {
        if (depth > MAX_GROUP_DEPTH) {
            throw malformed("groups nested deeper than " + MAX_GROUP_DEPTH);
        }
        while (true) {
            if (pos >= limit) {
                throw malformed("truncated group for field " + field);
            }
            int tag = tag();
            if ((tag & 7) == END_GROUP) {
                if (tag >>> 3 != field) {
                    throw malformed("end-group tag for field " + (tag >>> 3) + " inside group " + field);
                }
                return;
            }
            if ((tag & 7) == START_GROUP) {
                skipGroup(tag >>> 3, depth + 1);
            } else {
                skipField(tag);
            }
        }
    }

    private void advance(int n) throws OtlpDecodeException {
        if (limit - pos < n) {
            throw malformed("truncated fixed-width field");
        }
        pos += n;
    }

    OtlpDecodeException malformed(String what) {
        return new OtlpDecodeException("undecodable-protobuf", "not a well-formed OTLP " + message + ": " + what
                + " (at byte " + pos + ")", null);
    }
}
