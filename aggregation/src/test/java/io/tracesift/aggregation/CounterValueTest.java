package io.tracesift.aggregation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CounterValueTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 127, 128, 300, 1L << 40, Long.MAX_VALUE})
    void bytesDecodeToTheSameValue(long value) {
        assertThat(SeriesValue.fromBytes(CounterValue.of(value).toBytes())).isEqualTo(new CounterValue(value));
    }

    @Test
    void mergeAdds() {
        assertThat(CounterValue.of(2).merge(CounterValue.of(40))).isEqualTo(CounterValue.of(42));
    }

    @Test
    void countersAndHistogramsDoNotMix() {
        HistogramValue h = HistogramValue.single(new double[]{1}, 0.5, null);
        assertThatThrownBy(() -> CounterValue.ONE.merge(h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.merge(CounterValue.ONE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeCountsAndUnknownTagsAreRejected() {
        assertThatThrownBy(() -> CounterValue.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeriesValue.fromBytes(new byte[]{7, 1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeriesValue.fromBytes(new byte[]{1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SeriesValue.fromBytes(new byte[]{1, 1, 0})).isInstanceOf(IllegalArgumentException.class);
    }
}
