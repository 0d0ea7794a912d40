package io.tracesift.serdes;

import com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;

/**
 * Trace and span ids as OTLP carries them: 16 and 8 raw bytes on the wire, lowercase hex in
 * JSON, record keys and topic payloads. Conversion is table-driven because it runs per span.
 */
public final class TraceIds {
    public static final int TRACE_ID_BYTES = 16;
    public static final int SPAN_ID_BYTES = 8;

    private static final byte[] HEX_ASCII = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NIBBLES = new byte[128];

    static {
        java.util.Arrays.fill(NIBBLES, (byte) -1);
        for (int i = 0; i < 10; i++) {
            NIBBLES['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            NIBBLES['a' + i] = (byte) (10 + i);
            NIBBLES['A' + i] = (byte) (10 + i);
        }
    }

    private TraceIds() {
    }

    /** Lowercase hex of any byte string: 32 characters for a trace id, 16 for a span id, "" for none. */
    public static String toHex(byte[] id) {
        byte[] out = new byte[id.length * 2];
        for (int i = 0; i < id.length; i++) {
            int b = id[i] & 0xff;
            out[2 * i] = HEX_ASCII[b >>> 4];
            out[2 * i + 1] = HEX_ASCII[b & 0x0f];
        }
        return new String(out, StandardCharsets.ISO_8859_1); // ASCII bytes: the String keeps them, no compression pass
    }

    /** Same as {@link #toHex(byte[])} without copying the protobuf bytes first. */
    public static String toHex(ByteString id) {
        int n = id.size();
        byte[] out = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            int b = id.byteAt(i) & 0xff;
            out[2 * i] = HEX_ASCII[b >>> 4];
            out[2 * i + 1] = HEX_ASCII[b & 0x0f];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    /** A span id of {@link #SPAN_ID_BYTES} bytes as a big-endian number; 0 for any other length. */
    public static long toLong(ByteString spanId) {
        if (spanId.size() != SPAN_ID_BYTES) {
            return 0;
        }
        long v = 0;
        for (int i = 0; i < SPAN_ID_BYTES; i++) {
            v = v << 8 | spanId.byteAt(i) & 0xffL;
        }
        return v;
    }

    /**
     * Parses hex (either case) into bytes; "" gives an empty array.
     *
     * @throws IllegalArgumentException if the length is odd or a character is not a hex digit
     */
    public static byte[] fromHex(CharSequence hex) {
        int len = hex.length();
        if ((len & 1) != 0) {
            throw new IllegalArgumentException("hex id has an odd number of characters (" + len + ")");
        }
        byte[] out = new byte[len / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = nibble(hex, 2 * i);
            int lo = nibble(hex, 2 * i + 1);
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** A valid trace id is 16 bytes, not all zero (the OTLP definition of an invalid id). */
    public static boolean isValidTraceId(byte[] id) {
        return id.length == TRACE_ID_BYTES && !allZero(id);
    }

    public static boolean isValidTraceId(ByteString id) {
        return id.size() == TRACE_ID_BYTES && !allZero(id);
    }

    /** A valid span id is 8 bytes, not all zero. */
    public static boolean isValidSpanId(byte[] id) {
        return id.length == SPAN_ID_BYTES && !allZero(id);
    }

    public static boolean isValidSpanId(ByteString id) {
        return id.size() == SPAN_ID_BYTES && !allZero(id);
    }

    private static int nibble(CharSequence hex, int index) {
        char c = hex.charAt(index);
        int v = c < 128 ? NIBBLES[c] : -1;
        if (v < 0) {
            throw new IllegalArgumentException("not a hex digit at position " + index + ": '" + c + "'");
        }
        return v;
    }

    private static boolean allZero(byte[] id) {
        for (byte b : id) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(ByteString id) {
        for (int i = 0; i < id.size(); i++) {
            if (id.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
