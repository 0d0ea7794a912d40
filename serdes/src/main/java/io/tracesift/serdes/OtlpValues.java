package io.tracesift.serdes;

import io.opentelemetry.proto.common.v1.AnyValue;

/** Attribute values as plain Java objects, the form sampling policies and metrics compare. */
public final class OtlpValues {
    private OtlpValues() {
    }

    /** String, Long, Double or Boolean; other kinds (arrays, key-value lists, bytes) as protobuf's text; null when unset. */
    public static Object plain(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            case VALUE_NOT_SET -> null;
            default -> v.toString();
        };
    }
}
