package io.tracesift.aggregation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends varints, doubles and length-prefixed strings to a growing byte array. */
final class CompactWriter {
    private byte[] buf;
    private int size;

    CompactWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    CompactWriter writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    /** Unsigned LEB128; negative values take ten bytes, so callers keep them non-negative. */
    CompactWriter writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
        return this;
    }

    CompactWriter writeDouble(double d) {
        long bits = Double.doubleToLongBits(d);
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (bits >>> shift);
        }
        return this;
    }

    CompactWriter writeString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(bytes.length);
        return writeBytes(bytes);
    }

    CompactWriter writeBytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
