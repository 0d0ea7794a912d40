package io.tracesift.serdes;

import com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads {@link SpanFacts} from the serialized bytes of one OTLP {@code Span} by walking the
 * protobuf wire format and skipping every field the decision does not need (attributes, links,
 * event attributes), which is many times faster than {@code Span.parseFrom}.
 *
 * <p>Results equal a full parse: a field that occurs more than once keeps its last value,
 * occurrences of {@code status} merge, and a field sent with an unexpected wire type is
 * ignored, as protobuf-java does. Malformed wire structure, truncation and invalid UTF-8 in the
 * names it reads are rejected; the content of skipped fields is not validated.
 */
public final class SpanScanner {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LEN = 2;
    private static final int WIRE_START_GROUP = 3;
    private static final int WIRE_END_GROUP = 4;
    private static final int WIRE_FIXED32 = 5;

    private static final int TRACE_ID = 1 << 3 | WIRE_LEN;
    private static final int SPAN_ID = 2 << 3 | WIRE_LEN;
    private static final int PARENT_SPAN_ID = 4 << 3 | WIRE_LEN;
    private static final int NAME = 5 << 3 | WIRE_LEN;
    private static final int KIND = 6 << 3 | WIRE_VARINT;
    private static final int START_TIME = 7 << 3 | WIRE_FIXED64;
    private static final int END_TIME = 8 << 3 | WIRE_FIXED64;
    private static final int EVENTS = 11 << 3 | WIRE_LEN;
    private static final int STATUS = 15 << 3 | WIRE_LEN;
    private static final int EVENT_NAME = 2 << 3 | WIRE_LEN;
    private static final int STATUS_CODE = 3 << 3 | WIRE_VARINT;

    /** protobuf-java's default recursion limit. */
    private static final int MAX_GROUP_DEPTH = 100;

    private static final byte[] EXCEPTION = "exception".getBytes(StandardCharsets.US_ASCII);

    private SpanScanner() {
    }

    /** Scans a whole array holding one serialized {@code Span}. */
    public static SpanFacts scan(byte[] span) throws OtlpDecodeException {
        return scan(span, 0, span.length);
    }

    /**
     * Scans {@code length} bytes at {@code offset} holding one serialized {@code Span}.
     *
     * @throws OtlpDecodeException reason {@code undecodable-protobuf} when the bytes are not a well-formed Span
     */
    public static SpanFacts scan(byte[] buf, int offset, int length) throws OtlpDecodeException {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array " + buf.length);
        }
        Wire in = new Wire(buf, offset, offset + length);
        int traceIdAt = -1, traceIdLen = 0, spanIdAt = -1, spanIdLen = 0, parentAt = -1, parentLen = 0;
        int nameAt = -1, nameLen = 0;
        int kind = 0;
        int statusCode = 0;
        long start = 0;
        long end = 0;
        boolean exception = false;
        while (in.pos < in.limit) {
            int tag = in.tag();
            switch (tag) {
                case TRACE_ID -> {
                    traceIdLen = in.length();
                    traceIdAt = in.skip(traceIdLen);
                }
                case SPAN_ID -> {
                    spanIdLen = in.length();
                    spanIdAt = in.skip(spanIdLen);
                }
                case PARENT_SPAN_ID -> {
                    parentLen = in.length();
                    parentAt = in.skip(parentLen);
                }
                case NAME -> {
                    nameLen = in.length();
                    nameAt = in.skip(nameLen);
                    requireUtf8(in, nameAt, nameLen, "span name");
                }
                case KIND -> kind = (int) in.varint();
                case START_TIME -> start = in.fixed64();
                case END_TIME -> end = in.fixed64();
                case EVENTS -> {
                    int len = in.length();
                    int at = in.skip(len);
                    exception |= isExceptionEvent(new Wire(buf, at, at + len));
                }
                case STATUS -> {
                    int len = in.length();
                    int at = in.skip(len);
                    statusCode = statusCode(new Wire(buf, at, at + len), statusCode);
                }
                default -> in.skipField(tag);
            }
        }
        return new SpanFacts(
                bytes(buf, traceIdAt, traceIdLen),
                bytes(buf, spanIdAt, spanIdLen),
                bytes(buf, parentAt, parentLen),
                nameAt < 0 ? "" : new String(buf, nameAt, nameLen, StandardCharsets.UTF_8),
                kind, statusCode, start, end, exception);
    }

    private static boolean isExceptionEvent(Wire event) throws OtlpDecodeException {
        int nameAt = -1;
        int nameLen = 0;
        while (event.pos < event.limit) {
            int tag = event.tag();
            if (tag == EVENT_NAME) {
                nameLen = event.length();
                nameAt = event.skip(nameLen);
                requireUtf8(event, nameAt, nameLen, "event name");
            } else {
                event.skipField(tag);
            }
        }
        return nameLen == EXCEPTION.length
                && Arrays.equals(event.buf, nameAt, nameAt + nameLen, EXCEPTION, 0, EXCEPTION.length);
    }

    /** Status occurrences merge: a later one overrides the code only if it carries one. */
    private static int statusCode(Wire status, int code) throws OtlpDecodeException {
        while (status.pos < status.limit) {
            int tag = status.tag();
            if (tag == STATUS_CODE) {
                code = (int) status.varint();
            } else {
                status.skipField(tag);
            }
        }
        return code;
    }

    private static ByteString bytes(byte[] buf, int at, int len) {
        return at < 0 || len == 0 ? ByteString.EMPTY : ByteString.copyFrom(buf, at, len);
    }

    /** proto3 strings must be UTF-8; protobuf-java rejects the whole message otherwise. */
    private static void requireUtf8(Wire in, int at, int len, String what) throws OtlpDecodeException {
        if (!isUtf8(in.buf, at, at + len)) {
            throw in.malformed(what + " is not valid UTF-8");
        }
    }

    /** Well-formed UTF-8 as protobuf checks it: no overlong forms, surrogates or code points past U+10FFFF. */
    static boolean isUtf8(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xff;
            if (c >= 0xc2 && c <= 0xdf) {
                if (i + 1 >= to || !continuation(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (c >= 0xe0 && c <= 0xef) {
                if (i + 2 >= to || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
                    return false;
                }
                int second = b[i + 1] & 0xff;
                if ((c == 0xe0 && second < 0xa0) || (c == 0xed && second >= 0xa0)) {
                    return false;
                }
                i += 3;
            } else if (c >= 0xf0 && c <= 0xf4) {
                if (i + 3 >= to || !continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return false;
                }
                int second = b[i + 1] & 0xff;
                if ((c == 0xf0 && second < 0x90) || (c == 0xf4 && second >= 0x90)) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xc0) == 0x80;
    }

    /** A cursor over one message's bytes. */
    private static final class Wire {
        final byte[] buf;
        final int limit;
        int pos;

        Wire(byte[] buf, int pos, int limit) {
            this.buf = buf;
            this.pos = pos;
            this.limit = limit;
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
                case WIRE_VARINT -> varint();
                case WIRE_FIXED64 -> advance(8);
                case WIRE_LEN -> skip(length());
                case WIRE_FIXED32 -> advance(4);
                case WIRE_START_GROUP -> skipGroup(tag >>> 3, 1);
                case WIRE_END_GROUP -> throw malformed("unexpected end-group tag for field " + (tag >>> 3));
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
                if ((tag & 7) == WIRE_END_GROUP) {
                    if (tag >>> 3 != field) {
                        throw malformed("end-group tag for field " + (tag >>> 3) + " inside group " + field);
                    }
                    return;
                }
                if ((tag & 7) == WIRE_START_GROUP) {
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
            return new OtlpDecodeException("undecodable-protobuf", "not a well-formed OTLP Span: " + what
                    + " (at byte " + pos + ")", null);
        }
    }
}
