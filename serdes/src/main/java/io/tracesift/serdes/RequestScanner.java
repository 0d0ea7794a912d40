package io.tracesift.serdes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the spans of an encoded OTLP {@code ExportTraceServiceRequest} without building its objects: each span's
 * bytes and {@link SpanFacts} ({@link SpanScanner}) with the resource and scope it came under, in request order.
 * Many times cheaper than {@code ExportTraceServiceRequest.parseFrom} when the attributes are seldom looked at.
 *
 * <p>A resource or scope sent twice within one ResourceSpans or ScopeSpans would have to be merged as protobuf
 * does; such a request is not scanned ({@link #scan} returns null) so the caller can let protobuf decode it.
 */
public final class RequestScanner {
    private static final int RESOURCE_SPANS = 1 << 3 | Wire.LEN;
    /** Resource in ResourceSpans, scope in ScopeSpans. */
    private static final int ORIGIN = 1 << 3 | Wire.LEN;
    /** ScopeSpans in ResourceSpans, Span in ScopeSpans. */
    private static final int CHILDREN = 2 << 3 | Wire.LEN;
    private static final int SCHEMA_URL = 3 << 3 | Wire.LEN;

    /** Each thread's recent resources: a resource repeated by many records is indexed and decoded once. */
    private static final ThreadLocal<RecentResources> RESOURCES = ThreadLocal.withInitial(RecentResources::new);

    private RequestScanner() {
    }

    /**
     * @return every span of the request at {@code offset}, or null when a resource or scope occurs twice in one parent
     * @throws OtlpDecodeException reason {@code undecodable-protobuf} when the bytes are not well-formed
     */
    public static List<ScannedSpan> scan(byte[] buf, int offset, int length) throws OtlpDecodeException {
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", array " + buf.length);
        }
        List<ScannedSpan> spans = new ArrayList<>();
        Wire request = new Wire(buf, offset, offset + length, "ExportTraceServiceRequest");
        while (request.pos < request.limit) {
            int tag = request.tag();
            if (tag != RESOURCE_SPANS) {
                request.skipField(tag);
                continue;
            }
            int len = request.length();
            int at = request.skip(len);
            SpanOrigin resource = origin(new Wire(buf, at, at + len, "ResourceSpans"));
            if (resource == null) {
                return null;
            }
            resource = RESOURCES.get().shared(resource);
            Wire resourceSpans = new Wire(buf, at, at + len, "ResourceSpans");
            while (resourceSpans.pos < resourceSpans.limit) {
                int t = resourceSpans.tag();
                if (t != CHILDREN) {
                    resourceSpans.skipField(t);
                    continue;
                }
                int scopeLen = resourceSpans.length();
                int scopeAt = resourceSpans.skip(scopeLen);
                if (!scopeSpans(buf, scopeAt, scopeLen, resource, spans)) {
                    return null;
                }
            }
        }
        return spans;
    }

    private static boolean scopeSpans(byte[] buf, int at, int len, SpanOrigin resource, List<ScannedSpan> spans)
            throws OtlpDecodeException {
        SpanOrigin scope = origin(new Wire(buf, at, at + len, "ScopeSpans"));
        if (scope == null) {
            return false;
        }
        Wire scopeSpans = new Wire(buf, at, at + len, "ScopeSpans");
        while (scopeSpans.pos < scopeSpans.limit) {
            int t = scopeSpans.tag();
            if (t != CHILDREN) {
                scopeSpans.skipField(t);
                continue;
            }
            int spanLen = scopeSpans.length();
            int spanAt = scopeSpans.skip(spanLen);
            spans.add(SpanScanner.scan(resource, scope, buf, spanAt, spanLen));
        }
        return true;
    }

    /** Field 1 (the resource or scope) and field 3 (its schema URL, the last one counts); null when field 1 repeats. */
    private static SpanOrigin origin(Wire parent) throws OtlpDecodeException {
        int at = parent.pos, len = 0, seen = 0;
        String schemaUrl = "";
        while (parent.pos < parent.limit) {
            int t = parent.tag();
            if (t == ORIGIN) {
                len = parent.length();
                at = parent.skip(len);
                seen++;
            } else if (t == SCHEMA_URL) {
                int n = parent.length();
                int from = parent.skip(n);
                if (!SpanScanner.isUtf8(parent.buf, from, from + n)) {
                    throw parent.malformed("schema URL is not valid UTF-8");
                }
                schemaUrl = new String(parent.buf, from, n, StandardCharsets.UTF_8);
            } else {
                parent.skipField(t);
            }
        }
        return seen > 1 ? null : new SpanOrigin(parent.buf, at, len, schemaUrl);
    }
}
