package io.tracesift.serdes;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;

import com.google.protobuf.InvalidProtocolBufferException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One span of an encoded ExportTraceServiceRequest as {@link RequestScanner} found it: its bytes (a range of the
 * scanned array, never copied: do not modify it), its {@link SpanFacts}, and the resource and scope it came under.
 * Attributes are indexed in the bytes at the first lookup (in an index each thread reuses).
 */
public final class ScannedSpan {
    private static final int SPAN_ATTRIBUTES = 9 << 3 | Wire.LEN;
    private static final int RESOURCE_ATTRIBUTES = 1 << 3 | Wire.LEN;
    private static final int VALUE = 2 << 3 | Wire.LEN;
    private static final int STRING_VALUE = 1 << 3 | Wire.LEN;
    private static final int BOOL_VALUE = 2 << 3 | Wire.VARINT;
    private static final int INT_VALUE = 3 << 3 | Wire.VARINT;
    private static final int DOUBLE_VALUE = 4 << 3 | Wire.FIXED64;
    /** Attribute keys come from code and configuration: a few dozen. The bound only guards against misuse. */
    private static final int MAX_KEYS_KEPT = 1024;
    private static final Map<String, byte[]> KEY_BYTES = new ConcurrentHashMap<>();

    private final SpanOrigin resource;
    private final SpanOrigin scope;
    private final byte[] buf;
    private final int offset;
    private final int length;
    private final SpanFacts facts;
    /** The bytes holding every attribute field of the span (and maybe others between them). */
    private final int attributesFrom;
    private final int attributesTo;

    ScannedSpan(SpanOrigin resource, SpanOrigin scope, byte[] buf, int offset, int length, SpanFacts facts,
                int attributesFrom, int attributesTo) {
        this.resource = resource;
        this.scope = scope;
        this.buf = buf;
        this.offset = offset;
        this.length = length;
        this.facts = facts;
        this.attributesFrom = attributesFrom;
        this.attributesTo = attributesTo;
    }

    public SpanOrigin resource() {
        return resource;
    }

    public SpanOrigin scope() {
        return scope;
    }

    public byte[] buf() {
        return buf;
    }

    public int offset() {
        return offset;
    }

    /** The encoded span's length, i.e. its serialized size. */
    public int length() {
        return length;
    }

    public SpanFacts facts() {
        return facts;
    }

    /**
     * The value of the span's first attribute with this key, else the resource's, as {@link OtlpValues#plain}
     * would give it for the decoded message; null when absent (or when the first such attribute has no value).
     *
     * @throws IllegalStateException when the bytes are not well-formed (they were scanned whole, so never in practice)
     */
    public Object attribute(String key) {
        Object value = AttributeIndex.ofSpan(this, buf, attributesFrom, attributesTo, SPAN_ATTRIBUTES, "Span").first(utf8(key));
        return value != null ? value : resourceAttribute(key);
    }

    /**
     * Like {@link #attribute} for the resource's attributes only. The spans under one resource ask it for the same
     * few keys; its index keeps the values it decoded, so each is decoded once per resource.
     */
    public Object resourceAttribute(String key) {
        return resourceIndex().first(utf8(key));
    }

    /** The key's UTF-8 bytes; those of the few keys looked up per span are kept rather than encoded per lookup. */
    private static byte[] utf8(String key) {
        byte[] bytes = KEY_BYTES.get(key);
        if (bytes == null) {
            bytes = key.getBytes(StandardCharsets.UTF_8);
            if (KEY_BYTES.size() < MAX_KEYS_KEPT) {
                KEY_BYTES.putIfAbsent(key, bytes);
            }
        }
        return bytes;
    }

    /**
     * Every value the resource gives this key, in order, as {@link #attribute} gives one (null for an attribute
     * without a value); empty when the key is absent. For rules that must notice a key sent twice.
     */
    public List<Object> resourceAttributes(String key) {
        List<Object> values = new ArrayList<>(1);
        AttributeIndex index = resourceIndex();
        byte[] k = utf8(key);
        for (int i = index.find(k, 0); i >= 0; i = index.find(k, i + 1)) {
            values.add(index.value(i));
        }
        return values;
    }

    private AttributeIndex resourceIndex() {
        return resource.attributeIndex(RESOURCE_ATTRIBUTES, "Resource");
    }

    /** The value of the KeyValue {@code buf[at, at + len)}; null when it has none. */
    static Object value(byte[] buf, int at, int len) throws OtlpDecodeException, InvalidProtocolBufferException {
        Wire kv = new Wire(buf, at, at + len, "KeyValue");
        int valueAt = at, valueLen = 0, values = 0;
        while (kv.pos < kv.limit) {
            int t = kv.tag();
            if (t == VALUE) {
                valueLen = kv.length();
                valueAt = kv.skip(valueLen);
                values++;
            } else {
                kv.skipField(t);
            }
        }
        if (values == 0) {
            return null;
        }
        // protobuf merges a value sent twice: let it.
        return values == 1 ? anyValue(buf, valueAt, valueLen)
                : OtlpValues.plain(KeyValue.parseFrom(Arrays.copyOfRange(buf, at, at + len)).getValue());
    }

    /** The common one-field values directly; anything else as protobuf decodes it. */
    static Object anyValue(byte[] buf, int at, int len) throws OtlpDecodeException, InvalidProtocolBufferException {
        Wire v = new Wire(buf, at, at + len, "AnyValue");
        if (len > 0) {
            int t = v.tag();
            Object value = switch (t) {
                case STRING_VALUE -> {
                    int n = v.length();
                    String text = StringTable.utf8(buf, v.skip(n), n);
                    if (text == null) {
                        throw v.malformed("string value is not valid UTF-8");
                    }
                    yield text;
                }
                case BOOL_VALUE -> v.varint() != 0;
                case INT_VALUE -> v.varint();
                case DOUBLE_VALUE -> Double.longBitsToDouble(v.fixed64());
                default -> null;
            };
            if (value != null && v.pos == v.limit) {
                return value;
            }
        }
        return OtlpValues.plain(AnyValue.parseFrom(Arrays.copyOfRange(buf, at, at + len)));
    }
}
