package io.tracesift.query;

import io.tracesift.tenantrouting.TenantId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte layouts of the query stores' keys. Every key starts with the tenant (length-prefixed), so a range
 * scan for one tenant can never reach another's entries; fixed-width big-endian numbers keep RocksDB's byte
 * order equal to numeric order.
 */
final class QueryKeys {
    static final int TRACE_ID_BYTES = 16;
    private static final byte[] MAX_TRACE_ID = filled(TRACE_ID_BYTES, (byte) 0xff);

    private QueryKeys() {
    }

    /** {@code [tenant][trace id]}: one trace's summary. */
    static byte[] trace(TenantId tenant, byte[] traceId) {
        byte[] t = tenantPrefix(tenant);
        return ByteBuffer.allocate(t.length + TRACE_ID_BYTES).put(t).put(traceId).array();
    }

    /** {@code [trace key][seq]}: one received record (chunk or late spans) of a trace, in arrival order. */
    static byte[] chunk(byte[] traceKey, int seq) {
        return ByteBuffer.allocate(traceKey.length + Integer.BYTES).put(traceKey).putInt(seq).array();
    }

    static TenantId tenantOfTraceKey(byte[] traceKey) {
        int len = traceKey[0] & 0xff;
        return new TenantId(new String(traceKey, 1, len, StandardCharsets.UTF_8));
    }

    static byte[] traceIdOfTraceKey(byte[] traceKey) {
        return Arrays.copyOfRange(traceKey, traceKey.length - TRACE_ID_BYTES, traceKey.length);
    }

    /**
     * {@code [tenant][service][start µs][trace id]}: search index entry. The empty service indexes every
     * trace of the tenant (real services are never empty: a missing service.name reads "unknown_service").
     */
    static byte[] index(TenantId tenant, String service, long startUs, byte[] traceId) {
        byte[] p = indexPrefix(tenant, service);
        return ByteBuffer.allocate(p.length + Long.BYTES + TRACE_ID_BYTES).put(p).putLong(Math.max(0, startUs))
                .put(traceId).array();
    }

    /** Lowest index key for start times at or after {@code fromUs}. */
    static byte[] indexFrom(TenantId tenant, String service, long fromUs) {
        byte[] p = indexPrefix(tenant, service);
        return ByteBuffer.allocate(p.length + Long.BYTES).put(p).putLong(Math.max(0, fromUs)).array();
    }

    /** Highest index key for start times at or before {@code toUs}. */
    static byte[] indexTo(TenantId tenant, String service, long toUs) {
        byte[] p = indexPrefix(tenant, service);
        return ByteBuffer.allocate(p.length + Long.BYTES + TRACE_ID_BYTES).put(p).putLong(Math.max(0, toUs))
                .put(MAX_TRACE_ID).array();
    }

    static byte[] traceIdOfIndexKey(byte[] indexKey) {
        return Arrays.copyOfRange(indexKey, indexKey.length - TRACE_ID_BYTES, indexKey.length);
    }

    static long startOfIndexKey(byte[] indexKey) {
        return ByteBuffer.wrap(indexKey, indexKey.length - TRACE_ID_BYTES - Long.BYTES, Long.BYTES).getLong();
    }

    /** {@code [tenant][service][span kind][operation]}: an operation seen in a kept trace. */
    static byte[] operation(TenantId tenant, String service, int spanKind, String operation) {
        byte[] p = withString(tenantPrefix(tenant), service);
        byte[] op = operation.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(p.length + 1 + op.length).put(p).put((byte) spanKind).put(op).array();
    }

    /** Prefix of every operation key of a tenant, or of one service when {@code service} is not null. */
    static byte[] operationPrefix(TenantId tenant, String service) {
        return service == null ? tenantPrefix(tenant) : withString(tenantPrefix(tenant), service);
    }

    /** {@code [tenant][hour start ms][parent service][child service]}: calls between two services in one hour. */
    static byte[] edge(TenantId tenant, long hourStartMs, String parent, String child) {
        byte[] t = tenantPrefix(tenant);
        byte[] head = ByteBuffer.allocate(t.length + Long.BYTES).put(t).putLong(hourStartMs).array();
        return withString(withString(head, parent), child);
    }

    /**
     * {@code [tenant][hour start ms]}: the hour's revision, moved on with every change to its edges. It sorts
     * before the hour's edges and is the only key of the hour with nothing after the hour.
     */
    static byte[] edgeRevision(TenantId tenant, long hourStartMs) {
        return edgeFrom(tenant, hourStartMs);
    }

    static byte[] edgeFrom(TenantId tenant, long hourStartMs) {
        byte[] t = tenantPrefix(tenant);
        return ByteBuffer.allocate(t.length + Long.BYTES).put(t).putLong(Math.max(0, hourStartMs)).array();
    }

    /** {@code [stored at ms][trace key]}: when a trace was first stored, for expiry in time order. */
    static byte[] expiry(long storedAtMs, byte[] traceKey) {
        return ByteBuffer.allocate(Long.BYTES + traceKey.length).putLong(storedAtMs).put(traceKey).array();
    }

    static byte[] expiryUpTo(long storedAtMs) {
        return ByteBuffer.allocate(Long.BYTES).putLong(storedAtMs).array();
    }

    static byte[] traceKeyOfExpiryKey(byte[] expiryKey) {
        return Arrays.copyOfRange(expiryKey, Long.BYTES, expiryKey.length);
    }

    static byte[] tenantPrefix(TenantId tenant) {
        byte[] t = tenant.value().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + t.length).put((byte) t.length).put(t).array();
    }

    /** Appends a 2-byte length and the UTF-8 bytes, so one string can never run into the next field. */
    static byte[] withString(byte[] head, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int len = Math.min(b.length, 0xffff);
        return ByteBuffer.allocate(head.length + 2 + len).put(head).putShort((short) len).put(b, 0, len).array();
    }

    /** Reads a string written by {@link #withString} at {@code offset}; returns it and moves the buffer past it. */
    static String readString(ByteBuffer buffer) {
        int len = buffer.getShort() & 0xffff;
        byte[] b = new byte[len];
        buffer.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] indexPrefix(TenantId tenant, String service) {
        return withString(tenantPrefix(tenant), service);
    }

    private static byte[] filled(int n, byte b) {
        byte[] out = new byte[n];
        Arrays.fill(out, b);
        return out;
    }
}
