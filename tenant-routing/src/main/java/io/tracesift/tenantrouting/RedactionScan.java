package io.tracesift.tenantrouting;

import io.tracesift.serdes.SpanScanner;

/**
 * Decides from the protobuf bytes of one {@code ResourceSpans} whether {@link Redactor#redact} could change it, so
 * ingest can pass clean records on as bytes and parse only the few that may hold a secret. One pass over the wire
 * format, allocating nothing, that visits exactly what redact() reads (every attribute key and string value, also
 * inside arrays and key-value lists; span names, event names, status messages) and asks the same questions of the
 * bytes: {@link DenyKeys#mayDeny} of each key, {@link ValuePattern#candidates(byte[], int, int)} of each text.
 *
 * <p>It also says "may change" for bytes a parse would reject, so that the caller's fall-back parse rejects them:
 * malformed structure (varint over 10 bytes, field number 0, a length past the end, wire types 3 to 7 except 5:
 * groups are legal protobuf but unused by OTLP, so they are simply left to the parse), invalid UTF-8 in any string
 * field of the schema, and nesting deeper than {@link #MAX_DEPTH} messages. "No change" therefore also means
 * {@code ResourceSpans.parseFrom} accepts the bytes.
 */
final class RedactionScan {
    /** Below protobuf-java's recursion limit of 100, far above any real attribute nesting. */
    static final int MAX_DEPTH = 64;

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;
    private static final int FIXED32 = 5;

    // The messages of the schema that hold something to check (values of field(), 0 and up) ...
    private static final int RESOURCE_SPANS = 0;
    private static final int RESOURCE = 1;
    private static final int ENTITY_REF = 2;
    private static final int SCOPE_SPANS = 3;
    private static final int SCOPE = 4;
    private static final int SPAN = 5;
    private static final int EVENT = 6;
    private static final int LINK = 7;
    private static final int STATUS = 8;
    private static final int KEY_VALUE = 9;
    private static final int ANY_VALUE = 10;
    private static final int ARRAY_VALUE = 11;
    private static final int KEY_VALUE_LIST = 12;
    // ... and what their other length-delimited fields are:
    /** A bytes field or a field unknown to the schema: neither read by redact() nor validated by a parse. */
    private static final int OPAQUE = -1;
    /** A string redact() does not read (schema URLs, scope name and version, trace state): only its UTF-8 matters. */
    private static final int STRING = -2;
    /** A string the value patterns apply to. */
    private static final int TEXT = -3;
    /** An attribute key. */
    private static final int KEY = -4;

    // The one-byte tags of mayRedactKeyValue's common shape: KeyValue's key and value, AnyValue's simple values.
    private static final int KEY_FIELD = 1 << 3 | LEN;
    private static final int VALUE_FIELD = 2 << 3 | LEN;
    private static final int STRING_VALUE = 1 << 3 | LEN;
    private static final int BOOL_VALUE = 2 << 3 | VARINT;
    private static final int INT_VALUE = 3 << 3 | VARINT;
    private static final int DOUBLE_VALUE = 4 << 3 | FIXED64;

    private final DenyKeys denyKeys;
    private final int patternBits;

    RedactionScan(DenyKeys denyKeys, int patternBits) {
        this.denyKeys = denyKeys;
        this.patternBits = patternBits;
    }

    /** Whether redact() could change the ResourceSpans in {@code buf[offset, offset + length)}, or it is malformed. */
    boolean mayRedact(byte[] buf, int offset, int length) {
        return message(buf, offset, offset + length, RESOURCE_SPANS, 0);
    }

    /** What a length-delimited field of a message of the given kind holds (OTLP 1.x field numbers). */
    private static int field(int kind, int number) {
        return switch (kind) {
            case RESOURCE_SPANS -> number == 1 ? RESOURCE : number == 2 ? SCOPE_SPANS : number == 3 ? STRING : OPAQUE;
            case RESOURCE -> number == 1 ? KEY_VALUE : number == 3 ? ENTITY_REF : OPAQUE;
            case ENTITY_REF -> number >= 1 && number <= 4 ? STRING : OPAQUE;
            case SCOPE_SPANS -> number == 1 ? SCOPE : number == 2 ? SPAN : number == 3 ? STRING : OPAQUE;
            case SCOPE -> number == 1 || number == 2 ? STRING : number == 3 ? KEY_VALUE : OPAQUE;
            case SPAN -> switch (number) {
                case 3 -> STRING;
                case 5 -> TEXT;
                case 9 -> KEY_VALUE;
                case 11 -> EVENT;
                case 13 -> LINK;
                case 15 -> STATUS;
                default -> OPAQUE;
            };
            case EVENT -> number == 2 ? TEXT : number == 3 ? KEY_VALUE : OPAQUE;
            case LINK -> number == 3 ? STRING : number == 4 ? KEY_VALUE : OPAQUE;
            case STATUS -> number == 2 ? TEXT : OPAQUE;
            case KEY_VALUE -> number == 1 ? KEY : number == 2 ? ANY_VALUE : OPAQUE;
            case ANY_VALUE -> number == 1 ? TEXT : number == 5 ? ARRAY_VALUE : number == 6 ? KEY_VALUE_LIST : OPAQUE;
            case ARRAY_VALUE -> number == 1 ? ANY_VALUE : OPAQUE;
            case KEY_VALUE_LIST -> number == 1 ? KEY_VALUE : OPAQUE;
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }

    /**
     * Every occurrence of every field is checked: where a parse keeps only the last value of a field, or merges
     * repeated occurrences of a message, the result holds nothing that is not among the occurrences checked here.
     * Fields sent with another wire type than the schema's are unknown fields to a parse, and skipped here too.
     */
    private boolean message(byte[] buf, int pos, int limit, int kind, int depth) {
        if (depth > MAX_DEPTH) {
            return true;
        }
        while (pos < limit) {
            long tag = varint32(buf, pos, limit);
            if (tag < 0) {
                return true;
            }
            pos = (int) (tag >>> 32);
            int number = (int) tag >>> 3;
            if (number == 0) {
                return true;
            }
            switch ((int) tag & 7) {
                case VARINT -> {
                    pos = skipVarint(buf, pos, limit);
                    if (pos < 0) {
                        return true;
                    }
                }
                case FIXED64 -> {
                    if (limit - pos < 8) {
                        return true;
                    }
                    pos += 8;
                }
                case FIXED32 -> {
                    if (limit - pos < 4) {
                        return true;
                    }
                    pos += 4;
                }
                case LEN -> {
                    long length = varint32(buf, pos, limit);
                    if (length < 0) {
                        return true;
                    }
                    pos = (int) (length >>> 32);
                    int n = (int) length;
                    if (n < 0 || n > limit - pos) {
                        return true;
                    }
                    if (mayRedactField(buf, pos, pos + n, field(kind, number), depth)) {
                        return true;
                    }
                    pos += n;
                }
                default -> {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean mayRedactField(byte[] buf, int from, int to, int holds, int depth) {
        return switch (holds) {
            case OPAQUE -> false;
            case STRING -> !SpanScanner.isUtf8(buf, from, to);
            case TEXT -> mayRedactText(buf, from, to);
            case KEY -> mayRedactKey(buf, from, to);
            case KEY_VALUE -> mayRedactKeyValue(buf, from, to, depth + 1);
            default -> message(buf, from, to, holds, depth + 1);
        };
    }

    private boolean mayRedactText(byte[] buf, int from, int to) {
        int bits = ValuePattern.candidates(buf, from, to);
        return (bits & patternBits) != 0 || (bits & ValuePattern.NON_ASCII) != 0 && !SpanScanner.isUtf8(buf, from, to);
    }

    private boolean mayRedactKey(byte[] buf, int from, int to) {
        return denyKeys.mayDeny(buf, from, to) || !SpanScanner.isUtf8(buf, from, to);
    }

    /**
     * The KeyValue {@code buf[from, to)} at {@code depth}. Nearly every attribute is a key and then a value holding one
     * string, integer, double or boolean, with one-byte lengths: those bytes are checked here as {@link #message}
     * would check them, without its loop and two levels of calls; any other shape goes to {@link #message}.
     */
    private boolean mayRedactKeyValue(byte[] buf, int from, int to, int depth) {
        int keyLen = to - from >= 2 && buf[from] == KEY_FIELD && depth + 1 <= MAX_DEPTH ? buf[from + 1] : -1;
        int value = from + 2 + keyLen;
        if (keyLen < 0 || value > to) {
            return message(buf, from, to, KEY_VALUE, depth);
        }
        if (mayRedactKey(buf, from + 2, value)) {
            return true;
        }
        if (value == to) {
            return false;
        }
        int valueLen = to - value >= 2 && buf[value] == VALUE_FIELD ? buf[value + 1] : -1;
        int at = value + 2;
        if (valueLen < 0 || at + valueLen != to) {
            return message(buf, value, to, KEY_VALUE, depth);
        }
        if (at == to) {
            return false;
        }
        int tag = buf[at];
        if (tag == STRING_VALUE && to - at >= 2 && buf[at + 1] >= 0 && at + 2 + buf[at + 1] == to) {
            return mayRedactText(buf, at + 2, to);
        }
        if ((tag == INT_VALUE || tag == BOOL_VALUE) && skipVarint(buf, at + 1, to) == to
                || tag == DOUBLE_VALUE && to - at == 1 + Long.BYTES) {
            return false;
        }
        return message(buf, at, to, ANY_VALUE, depth + 1);
    }

    /**
     * Reads a tag or length varint at {@code pos}: like protobuf-java, up to 10 bytes of which the low 32 bits count.
     * Returns the position after it in the high and the value in the low 32 bits, or -1 when malformed.
     */
    private static long varint32(byte[] buf, int pos, int limit) {
        if (pos < limit && buf[pos] >= 0) {
            return (long) (pos + 1) << 32 | buf[pos];
        }
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= limit) {
                return -1;
            }
            byte b = buf[pos++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return (long) pos << 32 | (value & 0xffffffffL);
            }
        }
        return -1;
    }

    /** The position after the varint at {@code pos} (at most 10 bytes), or -1 when malformed. */
    private static int skipVarint(byte[] buf, int pos, int limit) {
        for (int end = Math.min(limit, pos + 10); pos < end; ) {
            if (buf[pos++] >= 0) {
                return pos;
            }
        }
        return -1;
    }
}
