package io.tracesift.tenantrouting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The word-at-a-time reads and byte tests agree with reading and testing byte by byte. */
class Utf8WordsTest {

    /** A text of {@code length} ASCII bytes at {@code from}, with non-ASCII bytes around it that must not be read. */
    private static byte[] framed(Random random, int from, int length) {
        byte[] buf = new byte[from + length + 9];
        Arrays.fill(buf, (byte) 0xff);
        for (int i = from; i < from + length; i++) {
            buf[i] = (byte) random.nextInt(0x80);
        }
        return buf;
    }

    @Test
    void wordHoldsTheBytesOfTheRangeLowestFirstAndZerosPastItsEnd() {
        Random random = new Random(3);
        for (int from = 0; from < 9; from++) {
            for (int length = 0; length < 25; length++) {
                byte[] buf = framed(random, from, length);
                if (length > 0) {
                    buf[from + random.nextInt(length)] = (byte) 0x9c; // a non-ASCII byte is read as it is
                }
                int to = from + length;
                for (int at = from; at < to; at += Long.BYTES) {
                    long expected = 0;
                    for (int k = 0; k < Long.BYTES && at + k < to; k++) {
                        expected |= (buf[at + k] & 0xFFL) << (Byte.SIZE * k);
                    }
                    assertThat(Utf8Words.word(buf, at, from, to)).as("from %d length %d at %d", from, length, at)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 9", "A, Z", "' ', Z", "@, @", "-, -"})
    void unequalAndWithinTestEachSevenBitByteOnItsOwn(char low, char high) {
        Random random = new Random(low * 31 + high);
        for (int value = 0; value < 0x80; value++) {
            for (int k = 0; k < Long.BYTES; k++) {
                long word = random.nextLong() & Utf8Words.LOW7;
                word = word & ~(0xFFL << (Byte.SIZE * k)) | (long) value << (Byte.SIZE * k);
                long byteHigh = 0x80L << (Byte.SIZE * k);
                boolean inside = value >= low && value <= high;
                assertThat((Utf8Words.within(word, low, high) & byteHigh) != 0).as("%d at %d", value, k).isEqualTo(inside);
                if (low == high) {
                    assertThat((Utf8Words.unequal(word, low) & byteHigh) != 0).as("%d at %d", value, k).isEqualTo(!inside);
                }
            }
        }
    }
}
