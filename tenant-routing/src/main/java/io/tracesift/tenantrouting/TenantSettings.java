package io.tracesift.tenantrouting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracesift.config.ConfigDuration;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One tenant's settings from the {@code tracesift-tenants} registry; an empty field means "the configured default".
 *
 * @param partitions partitions of the tenant's output topic, 1 to 10,000
 * @param retention  retention of the tenant's output topic
 * @param sampling   name of the sampling override to apply to the tenant's traces
 */
public record TenantSettings(OptionalInt partitions, Optional<Duration> retention, Optional<String> sampling) {
    public static final TenantSettings DEFAULTS = new TenantSettings(OptionalInt.empty(), Optional.empty(), Optional.empty());

    static final int MAX_PARTITIONS = 10_000;
    private static final Set<String> FIELDS = Set.of("partitions", "retention", "sampling");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown for a registry record value that cannot be used; the message says why. */
    public static final class InvalidSettingsException extends Exception {
        InvalidSettingsException(String message) {
            super(message);
        }
    }

    /**
     * Parses a registry record value, a JSON object such as
     * {@code {"partitions": 6, "retention": "7d", "sampling": "strict"}}; every field is optional.
     * Unknown fields are refused so that a typo does not silently fall back to a default.
     */
    public static TenantSettings parse(byte[] value) throws InvalidSettingsException {
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (IOException e) {
            throw new InvalidSettingsException("value is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSettingsException("value must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidSettingsException("unknown field " + UntrustedText.preview(name) + "; valid fields are "
                        + FIELDS.stream().sorted().toList());
            }
        }
        OptionalInt partitions = OptionalInt.empty();
        JsonNode node = root.get("partitions");
        if (node != null && !node.isNull()) {
            if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 1 || node.intValue() > MAX_PARTITIONS) {
                throw new InvalidSettingsException("partitions must be a whole number from 1 to " + MAX_PARTITIONS);
            }
            partitions = OptionalInt.of(node.intValue());
        }
        Optional<Duration> retention = Optional.empty();
        node = root.get("retention");
        if (node != null && !node.isNull()) {
            Duration parsed = node.isTextual() ? ConfigDuration.parse(node.textValue()).orElse(null) : null;
            if (parsed == null || parsed.isZero()) {
                throw new InvalidSettingsException("retention must be a duration string such as \"7d\" or \"12h\"");
            }
            retention = Optional.of(parsed);
        }
        Optional<String> sampling = Optional.empty();
        node = root.get("sampling");
        if (node != null && !node.isNull()) {
            if (!node.isTextual() || node.textValue().isBlank()) {
                throw new InvalidSettingsException("sampling must be the name of a sampling override");
            }
            sampling = Optional.of(node.textValue());
        }
        return new TenantSettings(partitions, retention, sampling);
    }
}
