package io.tracesift.serdes;

import com.google.protobuf.ByteString;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
    private static final int TRACE_ID = 1 << 3 | Wire.LEN;
    private static final int SPAN_ID = 2 << 3 | Wire.LEN;
    private static final int PARENT_SPAN_ID = 4 << 3 | Wire.LEN;
    private static final int NAME = 5 << 3 | Wire.LEN;
    private static final int KIND = 6 << 3 | Wire.VARINT;
    private static final int START_TIME = 7 << 3 | Wire.FIXED64;
    private static final int END_TIME = 8 << 3 | Wire.FIXED64;
    private static final int ATTRIBUTES = 9 << 3 | Wire.LEN;
    private static final int EVENTS = 11 << 3 | Wire.LEN;
    private static final int STATUS = 15 << 3 | Wire.LEN;
    private static final int EVENT_NAME = 2 << 3 | Wire.LEN;
    private static final int STATUS_CODE = 3 << 3 | Wire.VARINT;
    /** Reads eight bytes of an array at once, little-endian (also for {@link StringTable}). */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The high bit of every byte of a word: set in a byte of 0x80 or above. */
    private static final long HIGH_BITS = 0x8080808080808080L;

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
        return scan(null, null, buf, offset, length).facts();
    }

    /**
     * Scans the span {@code buf[offset, offset + length)} under {@code resource} and {@code scope}, noting where its
     * attributes lie, so that attribute lookups walk only those bytes.
     */
    static ScannedSpan scan(SpanOrigin resource, SpanOrigin scope, byte[] buf, int offset, int length)
            throws OtlpDecodeException {
        Wire in = new Wire(buf, offset, offset + length, "Span");
        int traceIdAt = -1, traceIdLen = 0, spanIdAt = -1, spanIdLen = 0, parentAt = -1, parentLen = 0;
        String name = "";
        int kind = 0;
        int statusCode = 0;
        long start = 0;
        long end = 0;
        boolean exception = false;
        // From the first attribute's tag to the last one's end: attributes are one run in every encoder's output.
        int attributesFrom = offset, attributesTo = offset;
        while (in.pos < in.limit) {
            int fieldAt = in.pos;
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
                    int nameLen = in.length();
                    name = StringTable.utf8(buf, in.skip(nameLen), nameLen);
                    if (name == null) {
                        throw in.malformed("span name is not valid UTF-8");
                    }
                }
                case ATTRIBUTES -> {
                    in.skip(in.length());
                    if (attributesFrom == attributesTo) {
                        attributesFrom = fieldAt;
                    }
                    attributesTo = in.pos;
                }
                case KIND -> kind = (int) in.varint();
                case START_TIME -> start = in.fixed64();
                case END_TIME -> end = in.fixed64();
                case EVENTS -> {
                    int len = in.length();
                    int at = in.skip(len);
                    exception |= isExceptionEvent(new Wire(buf, at, at + len, "Span"));
                }
                case STATUS -> {
                    int len = in.length();
                    int at = in.skip(len);
                    statusCode = statusCode(new Wire(buf, at, at + len, "Span"), statusCode);
                }
                default -> in.skipField(tag);
            }
        }
        SpanFacts facts = new SpanFacts(
                bytes(buf, traceIdAt, traceIdLen),
                bytes(buf, spanIdAt, spanIdLen),
                bytes(buf, parentAt, parentLen),
                name, kind, statusCode, start, end, exception);
        return new ScannedSpan(resource, scope, buf, offset, length, facts, attributesFrom, attributesTo);
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

    /**
     * Well-formed UTF-8 as protobuf checks it: no overlong forms, surrogates or code points past U+10FFFF.
     * Public for other byte-level readers of OTLP (the redactor's pre-check) that must reject what a parse rejects.
     */
    public static boolean isUtf8(byte[] b, int from, int to) {
        int i = from;
        // Most text is ASCII, which needs no check: skip it a word (eight bytes) a step.
        while (to - i >= Long.BYTES && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
            i += Long.BYTES;
        }
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
}
