package io.tracesift.aggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Identifies one series: tenant, metric family (its exposed name, e.g. {@code traces_spanmetrics_calls_total})
 * and the other labels in the order their producer emits them. Rendered with the tenant as label {@code tenant}.
 *
 * <p>Byte form (stable, versioned): {@code 0x01, tenant, family, labelCount, (name, value)*}, strings as varint
 * length + UTF-8. The tenant comes first so that {@link #tenantPrefix} is a prefix of exactly that tenant's keys,
 * which lets a byte-ordered store serve one tenant with a range scan.
 */
public record SeriesKey(String tenant, String family, List<Label> labels) {
    private static final int VERSION = 1;
    private static final int MAX_LABELS = 64;

    public SeriesKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(family, "family");
        labels = List.copyOf(labels);
    }

    /** Convenience for fixed label sets: {@code of("t", "fam", "service", "a", "span_name", "b")}. */
    public static SeriesKey of(String tenant, String family, String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        List<Label> labels = new ArrayList<>(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            labels.add(new Label(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new SeriesKey(tenant, family, labels);
    }

    /** Field by field, after a shortcut for the same instance (cached keys meet themselves in hash maps). */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof SeriesKey k && tenant.equals(k.tenant) && family.equals(k.family) && labels.equals(k.labels);
    }

    @Override
    public int hashCode() {
        return (31 * tenant.hashCode() + family.hashCode()) * 31 + labels.hashCode();
    }

    /** The value of a label, null when the key has no such label. */
    public String label(String name) {
        for (Label l : labels) {
            if (l.name().equals(name)) {
                return l.value();
            }
        }
        return null;
    }

    public byte[] toBytes() {
        CompactWriter w = new CompactWriter(16 + family.length() + 16 * labels.size());
        w.writeByte(VERSION).writeString(tenant).writeString(family).writeVarLong(labels.size());
        for (Label l : labels) {
            w.writeString(l.name()).writeString(l.value());
        }
        return w.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a key written by {@link #toBytes()} */
    public static SeriesKey fromBytes(byte[] bytes) {
        CompactReader r = new CompactReader(bytes);
        int version = r.readByte();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown series key version " + version);
        }
        String tenant = r.readString();
        String family = r.readString();
        int n = r.readCount(MAX_LABELS, "label count");
        List<Label> labels = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            labels.add(new Label(r.readString(), r.readString()));
        }
        r.expectEnd();
        return new SeriesKey(tenant, family, labels);
    }

    /** The bytes every key of this tenant starts with (and no other tenant's key does). */
    public static byte[] tenantPrefix(String tenant) {
        return new CompactWriter(8 + tenant.length()).writeByte(VERSION).writeString(tenant).toByteArray();
    }
}
