package io.tracesift.serdes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Short strings decoded from UTF-8, kept by their bytes: span names and the attribute values metrics read repeat
 * across spans, and a kept string skips the UTF-8 check, the copy and the allocation, and keeps its hash code, which
 * the metrics' label lookups compute. One slot per hash and no eviction policy: a new string replaces whatever held
 * its slot. Shared by every thread without locks: a slot holds an immutable entry, so a racing reader sees either
 * entry whole.
 */
final class StringTable {
    private static final int SLOTS = 4096;
    /** Longer strings are rarely repeated labels: they are decoded each time. */
    private static final int MAX_BYTES = 64;
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private record Entry(byte[] utf8, String value) {}

    private static final Entry[] TABLE = new Entry[SLOTS];

    private StringTable() {
    }

    /** The string of the UTF-8 bytes {@code buf[from, from + length)}, or null when they are not well-formed UTF-8. */
    static String utf8(byte[] buf, int from, int length) {
        if (length > MAX_BYTES) {
            return decode(buf, from, length);
        }
        int slot = slot(buf, from, length);
        Entry e = TABLE[slot];
        if (e != null && Arrays.equals(e.utf8, 0, e.utf8.length, buf, from, from + length)) {
            return e.value;
        }
        String value = decode(buf, from, length);
        if (value != null) {
            TABLE[slot] = new Entry(Arrays.copyOfRange(buf, from, from + length), value);
        }
        return value;
    }

    private static String decode(byte[] buf, int from, int length) {
        return SpanScanner.isUtf8(buf, from, from + length) ? new String(buf, from, length, StandardCharsets.UTF_8) : null;
    }

    /** Mixes every byte, eight at a time (the last word overlapping the one before it). */
    private static int slot(byte[] buf, int from, int length) {
        long h = length;
        if (length >= Long.BYTES) {
            int last = from + length - Long.BYTES;
            for (int at = from; at < last; at += Long.BYTES) {
                h = (h ^ (long) SpanScanner.LONGS.get(buf, at)) * MIX;
            }
            h = (h ^ (long) SpanScanner.LONGS.get(buf, last)) * MIX;
        } else {
            long word = 0;
            for (int i = 0; i < length; i++) {
                word = word << Byte.SIZE | buf[from + i] & 0xff;
            }
            h = (h ^ word) * MIX;
        }
        return (int) (h >>> 32 ^ h) & (SLOTS - 1);
    }
}
