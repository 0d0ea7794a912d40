package io.tracesift.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;
import java.util.Random;

class TraceIdsTest {

    @Test
    void hexMatchesTheJdkForRandomIdsOfEveryLength() {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] id = new byte[random.nextInt(33)];
            random.nextBytes(id);
            String expected = HexFormat.of().formatHex(id);

            assertThat(TraceIds.toHex(id)).isEqualTo(expected);
            assertThat(TraceIds.toHex(ByteString.copyFrom(id))).isEqualTo(expected);
            assertThat(TraceIds.fromHex(expected)).isEqualTo(id);
            assertThat(TraceIds.fromHex(expected.toUpperCase())).isEqualTo(id);
        }
    }

    @Test
    void spanIdsAsNumbersAreBigEndianAndZeroForOtherLengths() {
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            byte[] id = new byte[random.nextInt(17)];
            random.nextBytes(id);
            long expected = id.length == 8 ? Long.parseUnsignedLong(HexFormat.of().formatHex(id), 16) : 0;
            assertThat(TraceIds.toLong(ByteString.copyFrom(id))).as(HexFormat.of().formatHex(id)).isEqualTo(expected);
        }
        assertThat(TraceIds.toLong(ByteString.copyFrom(TraceIds.fromHex("ff00000000000001")))).isEqualTo(0xff00000000000001L);
    }

    @Test
    void traceIdIs32LowercaseHexCharacters() {
        byte[] id = TraceIds.fromHex("5B8EFFF798038103D269B633813FC60C");

        assertThat(id).hasSize(TraceIds.TRACE_ID_BYTES);
        assertThat(TraceIds.toHex(id)).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(TraceIds.toHex(new byte[0])).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0g", "zz", "12 4", "éé", "0x12"})
    void fromHexRejectsOddLengthsAndNonHexCharacters(String bad) {
        assertThatThrownBy(() -> TraceIds.fromHex(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} -> trace {1}, span {2}")
    @CsvSource({
            "5b8efff798038103d269b633813fc60c, true, false",
            "00000000000000000000000000000001, true, false",
            "00000000000000000000000000000000, false, false",
            "5b8efff798038103d269b633813fc6, false, false",
            "5b8efff798038103d269b633813fc60c00, false, false",
            "eee19b7ec3c1b174, false, true",
            "0000000000000000, false, false",
            "eee19b7ec3c1b1, false, false",
            "'', false, false"})
    void validityIsLengthAndNotAllZero(String hex, boolean validTrace, boolean validSpan) {
        byte[] id = TraceIds.fromHex(hex);

        assertThat(TraceIds.isValidTraceId(id)).isEqualTo(validTrace);
        assertThat(TraceIds.isValidTraceId(ByteString.copyFrom(id))).isEqualTo(validTrace);
        assertThat(TraceIds.isValidSpanId(id)).isEqualTo(validSpan);
        assertThat(TraceIds.isValidSpanId(ByteString.copyFrom(id))).isEqualTo(validSpan);
    }
}
