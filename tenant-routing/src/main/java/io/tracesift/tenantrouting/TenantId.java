package io.tracesift.tenantrouting;

/**
 * A validated tenant id: 1 to 64 characters of {@code [A-Za-z0-9_-]}, starting with a letter or digit.
 * Safe in topic names (no '.', so {@code traces.<tenant>} never nests) and metric labels.
 * Invalid ids are rejected, never normalised into another tenant's id.
 */
public record TenantId(String value) {
    /** The rule in words, for validation messages. */
    public static final String RULE = "1 to 64 characters of A-Z, a-z, 0-9, '_' and '-', starting with a letter or digit";
    public static final int MAX_LENGTH = 64;

    public TenantId {
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid tenant id: " + RULE);
        }
    }

    /** Checked per span group on the hot path, hence a plain loop rather than a regular expression. */
    public static boolean isValid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
