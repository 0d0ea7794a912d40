package io.tracesift.serdes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

class StringTableTest {
    private static String utf8(String text, int offset) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[offset + bytes.length + 3];
        Arrays.fill(padded, (byte) 'x');
        System.arraycopy(bytes, 0, padded, offset, bytes.length);
        return StringTable.utf8(padded, offset, bytes.length);
    }

    @Test
    void decodesEveryLengthAndOffsetAsTheJdkDoes() {
        for (int length = 0; length <= 70; length++) {
            for (int offset = 0; offset < 9; offset++) {
                String ascii = "abcdefghij".repeat(8).substring(0, length);
                assertThat(utf8(ascii, offset)).as("%d bytes at %d", length, offset).isEqualTo(ascii);
            }
        }
        assertThat(utf8("chat gpt-4o \u00e9\u4e2d\ud83d\ude00", 5)).isEqualTo("chat gpt-4o \u00e9\u4e2d\ud83d\ude00");
    }

    @Test
    void aShortStringSeenBeforeIsTheSameInstanceALongOneIsNot() {
        String first = utf8("invoke_agent planner", 0);
        assertThat(utf8("invoke_agent planner", 7)).isSameAs(first);
        String long1 = utf8("l".repeat(65), 0);
        assertThat(utf8("l".repeat(65), 3)).isEqualTo(long1).isNotSameAs(long1);
    }

    @Test
    void stringsThatShareASlotOrDifferOnlyInTheMiddleAreEachDecodedRight() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 20_000; i++) {
                String text = "execute_tool " + i + " web_search";
                assertThat(utf8(text, i % 8)).isEqualTo(text);
            }
        }
    }

    @Test
    void malformedUtf8IsNullEvenWhereAWellFormedStringWasKept() {
        byte[] good = {'o', 'k'};
        byte[] bad = {'o', (byte) 0xc3, 0x28};
        byte[] overlong = {(byte) 0xc0, (byte) 0xaf};
        assertThat(StringTable.utf8(good, 0, 2)).isEqualTo("ok");
        assertThat(StringTable.utf8(bad, 0, bad.length)).isNull();
        assertThat(StringTable.utf8(bad, 0, bad.length)).isNull();
        assertThat(StringTable.utf8(overlong, 0, overlong.length)).isNull();
        assertThat(StringTable.utf8(good, 0, 2)).isEqualTo("ok");
    }
}
