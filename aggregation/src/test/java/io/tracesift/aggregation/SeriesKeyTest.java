package io.tracesift.aggregation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeriesKeyTest {

    static Stream<SeriesKey> keys() {
        return Stream.of(
                SeriesKey.of("acme", "traces_spanmetrics_calls_total"),
                SeriesKey.of("", "f", "a", ""),
                SeriesKey.of("acme", "traces_spanmetrics_calls_total", "service", "checkout", "span_name", "GET /cart",
                        "span_kind", "SPAN_KIND_SERVER", "status_code", "STATUS_CODE_ERROR"),
                SeriesKey.of("tenant-ü", "f", "span_name", "наименование ✓", "b", "x".repeat(300)));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void bytesDecodeToTheSameKey(SeriesKey key) {
        assertThat(SeriesKey.fromBytes(key.toBytes())).isEqualTo(key);
    }

    @ParameterizedTest
    @MethodSource("keys")
    void tenantPrefixStartsEveryKeyOfThatTenant(SeriesKey key) {
        byte[] prefix = SeriesKey.tenantPrefix(key.tenant());
        assertThat(Arrays.copyOf(key.toBytes(), prefix.length)).isEqualTo(prefix);
    }

    static Stream<Arguments> otherTenants() {
        return Stream.of(Arguments.of("a", "ab"), Arguments.of("ab", "a"), Arguments.of("a", "b"), Arguments.of("", "a"));
    }

    @ParameterizedTest
    @MethodSource("otherTenants")
    void tenantPrefixStartsNoOtherTenantsKey(String tenant, String other) {
        byte[] prefix = SeriesKey.tenantPrefix(tenant);
        byte[] key = SeriesKey.of(other, "f", "service", "a").toBytes();
        assertThat(key.length >= prefix.length && Arrays.equals(Arrays.copyOf(key, prefix.length), prefix)).isFalse();
    }

    @Test
    void labelOrderIsPartOfTheIdentity() {
        assertThat(SeriesKey.of("t", "f", "a", "1", "b", "2")).isNotEqualTo(SeriesKey.of("t", "f", "b", "2", "a", "1"));
        assertThat(SeriesKey.of("t", "f", "a", "1", "b", "2").label("b")).isEqualTo("2");
        assertThat(SeriesKey.of("t", "f", "a", "1").label("c")).isNull();
    }

    static Stream<Arguments> malformed() {
        byte[] good = SeriesKey.of("t", "fam", "a", "b").toBytes();
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        byte[] badVersion = good.clone();
        badVersion[0] = 9;
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("wrong version", badVersion),
                Arguments.of("truncated", Arrays.copyOf(good, good.length - 1)),
                Arguments.of("trailing byte", trailing),
                Arguments.of("huge label count", new byte[]{1, 1, 't', 1, 'f', (byte) 0xFF, 0x7F}),
                Arguments.of("string longer than input", new byte[]{1, 50, 't'}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedBytesAreRejected(String why, byte[] bytes) {
        assertThatThrownBy(() -> SeriesKey.fromBytes(bytes)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oddNamesAndValuesAreRejected() {
        assertThatThrownBy(() -> SeriesKey.of("t", "f", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SeriesKey.of("t", "f", "a", null).labels()).containsExactly(new Label("a", ""));
        assertThat(new SeriesKey("t", "f", List.of()).labels()).isEmpty();
    }
}
