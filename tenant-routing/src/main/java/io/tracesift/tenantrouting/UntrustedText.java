package io.tracesift.tenantrouting;

/**
 * Renders a value that came from the outside (a claimed tenant id, a flag key) for a log line or DLQ header:
 * bounded in length and with every character outside printable ASCII escaped, so a 10 KB id or a
 * look-alike unicode letter cannot flood or disguise itself in the logs.
 */
final class UntrustedText {
    private static final int MAX_CHARS = 40;

    private UntrustedText() {}

    static String preview(String value) {
        if (value == null) {
            return "<absent>";
        }
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(value.length(), MAX_CHARS);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        out.append('"');
        if (value.length() > MAX_CHARS) {
            out.append("... (").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
