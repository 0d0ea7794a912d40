package io.tracesift.aggregation;

import java.util.Objects;

/** One label pair of a series. Names are Prometheus label names; an empty value means "not set". */
public record Label(String name, String value) {
    public Label {
        Objects.requireNonNull(name, "name");
        value = value == null ? "" : value;
    }
}
