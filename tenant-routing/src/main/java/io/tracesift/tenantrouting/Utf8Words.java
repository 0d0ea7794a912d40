package io.tracesift.tenantrouting;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads UTF-8 text eight bytes at a time, so the checks that run on every attribute key and value test a word per
 * step instead of a byte (SWAR: each byte's answer lands in its high bit, 0x80). Byte {@code k} of a word is the byte
 * at {@code at + k} (little-endian, whatever the platform).
 */
final class Utf8Words {
    /** The high bit of every byte. */
    static final long HIGH = 0x8080808080808080L;
    /** The low seven bits of every byte. */
    static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long ONES = 0x0101010101010101L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8Words() {
    }

    /**
     * The bytes {@code buf[at, min(at + 8, to))}, zero bytes in place of those at or past {@code to}. A zero byte is
     * no character any check looks for, so it ends every run as the end of the text does.
     */
    static long word(byte[] buf, int at, int from, int to) {
        int n = to - at;
        if (n >= Long.BYTES) {
            return (long) LONGS.get(buf, at);
        }
        if (to - from >= Long.BYTES) { // the last eight bytes of the text, without the ones already read
            return (long) LONGS.get(buf, to - Long.BYTES) >>> (Long.SIZE - Byte.SIZE * n);
        }
        long word = 0;
        for (int k = 0; k < n; k++) {
            word |= (buf[at + k] & 0xFFL) << (Byte.SIZE * k);
        }
        return word;
    }

    /** High bit set in each byte of {@code ascii7} (seven-bit bytes) that differs from {@code c}. */
    static long unequal(long ascii7, char c) {
        return ((ascii7 ^ (c * ONES)) + LOW7) & HIGH;
    }

    /** High bit set in each byte of {@code ascii7} (seven-bit bytes) within {@code [low, high]}. */
    static long within(long ascii7, char low, char high) {
        return (ascii7 + (0x80 - low) * ONES) & ~(ascii7 + (0x7F - high) * ONES) & HIGH;
    }
}
