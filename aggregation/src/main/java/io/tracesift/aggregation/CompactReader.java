package io.tracesift.aggregation;

import java.nio.charset.StandardCharsets;

/** Reads what {@link CompactWriter} wrote; every malformed input ends in IllegalArgumentException. */
final class CompactReader {
    private final byte[] buf;
    private int pos;

    CompactReader(byte[] buf) {
        if (buf == null) {
            throw new IllegalArgumentException("no bytes");
        }
        this.buf = buf;
    }

    int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    long readVarLong() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("varint longer than 10 bytes at offset " + pos);
    }

    /** A varint that must fit a non-negative int no larger than {@code max}. */
    int readCount(int max, String what) {
        long v = readVarLong();
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(what + " " + v + " out of range 0.." + max);
        }
        return (int) v;
    }

    double readDouble() {
        need(8);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (buf[pos++] & 0xFF);
        }
        return Double.longBitsToDouble(bits);
    }

    String readString() {
        int len = readCount(Integer.MAX_VALUE, "string length");
        need(len);
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    byte[] readBytes(int len) {
        need(len);
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    void expectEnd() {
        if (pos != buf.length) {
            throw new IllegalArgumentException((buf.length - pos) + " trailing bytes");
        }
    }

    private void need(int n) {
        if (n > buf.length - pos) {
            throw new IllegalArgumentException("truncated: need " + n + " bytes at offset " + pos + " of " + buf.length);
        }
    }
}
