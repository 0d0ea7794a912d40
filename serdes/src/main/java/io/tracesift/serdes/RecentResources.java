package io.tracesift.serdes;

/**
 * The resources one thread's scans met lately, one shared {@link SpanOrigin} each. An SDK sends the same resource
 * with every export, so nearly every record repeats a resource its thread read moments before: sharing its origin
 * indexes the resource's attributes, decodes the values looked up (service name, tenant) and hashes its bytes once
 * per resource instead of once per record. A shared origin holds its own copy of the bytes, so it keeps no record
 * alive. Two-way set-associative over {@link #SETS} sets, a hit moving to the first way; resources over
 * {@link #MAX_BYTES} are not shared. Not thread-safe: one instance per thread.
 */
final class RecentResources {
    static final int SETS = 256;
    static final int MAX_BYTES = 2048;

    private final SpanOrigin[] first = new SpanOrigin[SETS];
    private final SpanOrigin[] second = new SpanOrigin[SETS];

    /** The shared origin equal to {@code seen} (byte for byte, and the same schema URL), added when new. */
    SpanOrigin shared(SpanOrigin seen) {
        if (seen.length() == 0 || seen.length() > MAX_BYTES) {
            return seen;
        }
        int set = seen.hashCode() & (SETS - 1);
        SpanOrigin a = first[set];
        if (seen.equals(a)) {
            return a;
        }
        SpanOrigin b = second[set];
        if (seen.equals(b)) {
            second[set] = a;
            first[set] = b;
            return b;
        }
        SpanOrigin own = seen.detached();
        second[set] = a;
        first[set] = own;
        return own;
    }
}
