package io.tracesift.tenantrouting;

import java.util.regex.Pattern;

/**
 * A validated tenant id: 1 to 64 characters of {@code [A-Za-z0-9_-]}, starting with a letter or digit.
 * Safe in topic names (no '.', so {@code traces.<tenant>} never nests) and metric labels.
 * Invalid ids are rejected, never normalised into another tenant's id.
 */
public record TenantId(String value) {
    /** The rule in words, for validation messages. */
    public static final String RULE = "1 to 64 characters of A-Z, a-z, 0-9, '_' and '-', starting with a letter or digit";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public TenantId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid tenant id: must match " + VALID.pattern());
        }
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
