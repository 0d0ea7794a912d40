package io.tracesift.topology;

import io.tracesift.tenantrouting.TenantId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The state and repartition key of one trace: {@code [tenant length:1][tenant ASCII][trace id:16]}.
 * The tenant is part of the key, so one trace id in two tenants is two traces. Span keys append a
 * 4-byte big-endian sequence number, so one trace's spans are a contiguous key range.
 */
public final class TraceKey {
    public static final int TRACE_ID_BYTES = 16;
    private static final HexFormat HEX = HexFormat.of();

    private TraceKey() {}

    public static byte[] encode(TenantId tenant, byte[] traceId) {
        byte[] t = tenant.value().getBytes(StandardCharsets.US_ASCII);
        byte[] key = new byte[1 + t.length + TRACE_ID_BYTES];
        key[0] = (byte) t.length;
        System.arraycopy(t, 0, key, 1, t.length);
        System.arraycopy(traceId, 0, key, 1 + t.length, TRACE_ID_BYTES);
        return key;
    }

    public static TenantId tenant(byte[] key) {
        return new TenantId(new String(key, 1, key[0], StandardCharsets.US_ASCII));
    }

    public static byte[] traceId(byte[] key) {
        return Arrays.copyOfRange(key, key.length - TRACE_ID_BYTES, key.length);
    }

    /** 32 lowercase hex characters: the output record key. */
    public static String traceIdHex(byte[] key) {
        return HEX.formatHex(key, key.length - TRACE_ID_BYTES, key.length);
    }

    /** Key of the {@code seq}-th stored span group of the trace. */
    public static byte[] spanKey(byte[] traceKey, int seq) {
        return ByteBuffer.allocate(traceKey.length + Integer.BYTES).put(traceKey).putInt(seq).array();
    }
}
