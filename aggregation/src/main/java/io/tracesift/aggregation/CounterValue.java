package io.tracesift.aggregation;

/** A monotonic count (calls, bytes, tokens): exact as a long. Byte form: tag, varint value. */
public record CounterValue(long value) implements SeriesValue {
    public static final CounterValue ONE = new CounterValue(1);

    public CounterValue {
        if (value < 0) {
            throw new IllegalArgumentException("counter value must not be negative: " + value);
        }
    }

    public static CounterValue of(long value) {
        return value == 1 ? ONE : new CounterValue(value);
    }

    @Override
    public SeriesValue merge(SeriesValue other) {
        if (!(other instanceof CounterValue c)) {
            throw new IllegalArgumentException("cannot merge a counter with " + other.getClass().getSimpleName());
        }
        return new CounterValue(Math.addExact(value, c.value));
    }

    @Override
    public byte[] toBytes() {
        return new CompactWriter(11).writeByte(TAG_COUNTER).writeVarLong(value).toByteArray();
    }

    static CounterValue read(CompactReader r) {
        long v = r.readVarLong();
        if (v < 0) {
            throw new IllegalArgumentException("negative counter value");
        }
        return new CounterValue(v);
    }
}
