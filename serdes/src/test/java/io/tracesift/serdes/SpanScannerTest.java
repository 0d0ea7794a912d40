package io.tracesift.serdes;

import static io.tracesift.serdes.OtlpFixtures.attr;
import static io.tracesift.serdes.OtlpFixtures.hex;
import static io.tracesift.serdes.OtlpFixtures.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

class SpanScannerTest {

    private static final List<String> EVENT_NAMES =
            List.of("exception", "Exception", "exceptions", "exceptio", "", "cache.miss", "例外", "exception ");

    @Test
    void agreesWithTheFullParseOnRandomizedSpans() throws Exception {
        Random random = new Random(20261125);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = randomSpan(random).toByteArray();

            assertThat(SpanScanner.scan(bytes)).as("span #%d", i).isEqualTo(expectedFacts(Span.parseFrom(bytes)));
        }
    }

    @Test
    void agreesWithTheFullParseWhenFieldsRepeatAsInConcatenatedMessages() throws Exception {
        // Concatenated encodings merge: scalars take the last value sent, events append, status merges.
        Random random = new Random(99);
        for (int i = 0; i < 1_000; i++) {
            byte[] bytes = concat(randomSpan(random).toByteArray(), randomSpan(random).toByteArray());

            assertThat(SpanScanner.scan(bytes)).as("pair #%d", i).isEqualTo(expectedFacts(Span.parseFrom(bytes)));
        }
    }

    @Test
    void scansASpanInsideALargerBuffer() throws Exception {
        Span span = richRootSpan();
        byte[] bytes = span.toByteArray();
        byte[] padded = concat(new byte[]{(byte) 0xff, (byte) 0xfe, 7}, bytes, new byte[]{(byte) 0x80});

        assertThat(SpanScanner.scan(padded, 3, bytes.length)).isEqualTo(expectedFacts(span));
    }

    @Test
    void readsTheFactsOfARealShapedRootSpan() throws Exception {
        SpanFacts facts = SpanScanner.scan(richRootSpan().toByteArray());

        assertThat(facts.traceIdHex()).isEqualTo(OtlpFixtures.TRACE_HEX);
        assertThat(TraceIds.toHex(facts.spanId())).isEqualTo(OtlpFixtures.ROOT_SPAN_HEX);
        assertThat(facts.isRoot()).isTrue();
        assertThat(facts.name()).isEqualTo("POST /checkout");
        assertThat(facts.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER_VALUE);
        assertThat(facts.statusCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR_VALUE);
        assertThat(facts.startTimeUnixNano()).isEqualTo(OtlpFixtures.T0);
        assertThat(facts.endTimeUnixNano()).isEqualTo(OtlpFixtures.T0 + 2_500_000_000L);
        assertThat(facts.hasExceptionEvent()).isTrue();
    }

    @Test
    void emptyBytesAreTheDefaultSpan() throws Exception {
        SpanFacts facts = SpanScanner.scan(new byte[0]);

        assertThat(facts).isEqualTo(expectedFacts(Span.getDefaultInstance()));
        assertThat(facts.isRoot()).isTrue();
        assertThat(facts.traceId()).isEqualTo(ByteString.EMPTY);
    }

    @Test
    void everyTruncationFailsExactlyWhenTheFullParseFails() throws Exception {
        for (Span span : List.of(richRootSpan(), randomSpan(new Random(5)), randomSpan(new Random(6)))) {
            byte[] bytes = span.toByteArray();
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] prefix = Arrays.copyOf(bytes, cut);
                Span parsed = parseOrNull(prefix);
                if (parsed == null) {
                    OtlpDecodeException e = catchThrowableOfType(OtlpDecodeException.class, () -> SpanScanner.scan(prefix));
                    assertThat(e).as("prefix of %d bytes must be rejected", cut).isNotNull();
                    assertThat(e.reason()).isEqualTo("undecodable-protobuf");
                } else {
                    assertThat(SpanScanner.scan(prefix)).as("prefix of %d bytes", cut).isEqualTo(expectedFacts(parsed));
                }
            }
        }
    }

    static Stream<Arguments> malformed() throws IOException {
        return Stream.of(
                Arguments.of("tag with field number 0", new byte[]{0x00}),
                Arguments.of("wire type 7", new byte[]{0x0f, 0x00}),
                Arguments.of("varint longer than 10 bytes", concat(new byte[]{0x30}, filled(11, (byte) 0xff))),
                Arguments.of("length past the end", new byte[]{0x0a, 0x10, 1, 2, 3}),
                Arguments.of("fixed64 cut short", new byte[]{0x39, 1, 2, 3}),
                Arguments.of("unmatched end group", new byte[]{(byte) 0xa4, 0x06}),
                Arguments.of("unterminated group", new byte[]{(byte) 0xa3, 0x06, 0x08, 0x01}),
                Arguments.of("invalid UTF-8 in the name", withName(new byte[]{'o', (byte) 0xc3, 0x28})),
                Arguments.of("invalid UTF-8 in an event name", new byte[]{0x5a, 0x03, 0x12, 0x01, (byte) 0xff}),
                Arguments.of("UTF-16 surrogate in the name", withName(new byte[]{(byte) 0xed, (byte) 0xa0, (byte) 0x80})),
                Arguments.of("overlong UTF-8 in the name", withName(new byte[]{(byte) 0xc0, (byte) 0xaf})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedBytesAreRejectedLikeTheFullParse(String what, byte[] bytes) {
        assertThatThrownBy(() -> Span.parseFrom(bytes)).isInstanceOf(InvalidProtocolBufferException.class);

        OtlpDecodeException e = catchThrowableOfType(OtlpDecodeException.class, () -> SpanScanner.scan(bytes));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo("undecodable-protobuf");
        assertThat(e.getMessage()).contains("Span");
    }

    @Test
    void utf8CheckAgreesWithTheJdksStrictDecoderOnRandomBytes() {
        Random random = new Random(3);
        byte[][] seeds = {"Grüße 🚀 日本語".getBytes(StandardCharsets.UTF_8), {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        for (int i = 0; i < 20_000; i++) {
            // An ASCII run of any length first (skipped a word at a time), then a few random bytes.
            int ascii = i < seeds.length ? 0 : random.nextInt(24);
            byte[] b = i < seeds.length ? seeds[i] : new byte[ascii + random.nextInt(8)];
            if (i >= seeds.length) {
                for (int j = 0; j < b.length; j++) {
                    b[j] = (byte) (j < ascii ? random.nextInt(0x80)
                            : random.nextBoolean() ? 0x80 | random.nextInt(0x80) : random.nextInt(0x100));
                }
            }
            int from = b.length == 0 ? 0 : random.nextInt(Math.min(3, b.length + 1));
            boolean jdk;
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b, from, b.length - from));
                jdk = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                jdk = false;
            }
            assertThat(SpanScanner.isUtf8(b, from, b.length)).as("%s from %d", Arrays.toString(b), from).isEqualTo(jdk);
        }
    }

    @Test
    void fieldsSentWithAnUnexpectedWireTypeAreIgnoredLikeTheFullParse() throws Exception {
        // trace_id as a varint, kind as a fixed32, and a group under the name's field number.
        byte[] bytes = concat(
                new byte[]{0x08, 0x05},
                new byte[]{0x35, 1, 0, 0, 0},
                new byte[]{0x2b, 0x08, 0x01, 0x2c},
                Span.newBuilder().setName("kept").build().toByteArray());

        SpanFacts facts = SpanScanner.scan(bytes);

        assertThat(facts).isEqualTo(expectedFacts(Span.parseFrom(bytes)));
        assertThat(facts.traceId()).isEqualTo(ByteString.EMPTY);
        assertThat(facts.kind()).isZero();
        assertThat(facts.name()).isEqualTo("kept");
    }

    @Test
    void rejectsABadRange() {
        assertThatThrownBy(() -> SpanScanner.scan(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> SpanScanner.scan(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static SpanFacts expectedFacts(Span span) {
        boolean exception = span.getEventsList().stream().anyMatch(e -> e.getName().equals("exception"));
        return new SpanFacts(span.getTraceId(), span.getSpanId(), span.getParentSpanId(), span.getName(),
                span.getKindValue(), span.getStatus().getCodeValue(), span.getStartTimeUnixNano(),
                span.getEndTimeUnixNano(), exception);
    }

    private static Span richRootSpan() {
        return OtlpFixtures.richExport().getResourceSpans(0).getScopeSpans(0).getSpans(0);
    }

    /** Spans that vary every field the scanner reads and the ones it skips, including unknown fields. */
    private static Span randomSpan(Random random) {
        Span.Builder span = Span.newBuilder();
        if (random.nextInt(10) > 0) {
            span.setTraceId(randomBytes(random, random.nextInt(8) == 0 ? random.nextInt(20) : 16));
        }
        if (random.nextInt(10) > 0) {
            span.setSpanId(randomBytes(random, random.nextInt(8) == 0 ? random.nextInt(12) : 8));
        }
        if (random.nextBoolean()) {
            span.setParentSpanId(randomBytes(random, 8));
        }
        if (random.nextInt(4) > 0) {
            span.setTraceState("k=" + random.nextInt(1000));
        }
        if (random.nextBoolean()) {
            span.setFlags(random.nextInt());
        }
        if (random.nextInt(10) > 0) {
            span.setName(randomName(random));
        }
        span.setKindValue(random.nextInt(10) == 0 ? random.nextInt(40) - 20 : random.nextInt(6));
        span.setStartTimeUnixNano(random.nextInt(10) == 0 ? random.nextLong() : OtlpFixtures.T0 + random.nextInt());
        span.setEndTimeUnixNano(random.nextInt(10) == 0 ? random.nextLong() : OtlpFixtures.T0 + random.nextInt());
        for (int a = random.nextInt(6); a > 0; a--) {
            span.addAttributes(attr("a" + a, randomValue(random, 2)));
        }
        for (int e = random.nextInt(4); e > 0; e--) {
            Span.Event.Builder event = Span.Event.newBuilder().setTimeUnixNano(random.nextLong());
            if (random.nextInt(5) > 0) {
                event.setName(EVENT_NAMES.get(random.nextInt(EVENT_NAMES.size())));
            }
            if (random.nextBoolean()) {
                event.addAttributes(attr("exception.stacktrace", str(OtlpFixtures.STACK_TRACE)));
            }
            span.addEvents(event);
        }
        for (int l = random.nextInt(3); l > 0; l--) {
            span.addLinks(Span.Link.newBuilder().setTraceId(randomBytes(random, 16)).setSpanId(randomBytes(random, 8))
                    .addAttributes(attr("link", randomValue(random, 1))).setFlags(random.nextInt()));
        }
        if (random.nextInt(5) > 0) {
            Status.Builder status = Status.newBuilder();
            status.setCodeValue(random.nextInt(10) == 0 ? random.nextInt(100) - 50 : random.nextInt(3));
            if (random.nextBoolean()) {
                status.setMessage(randomName(random));
            }
            span.setStatus(status);
        }
        span.setDroppedAttributesCount(random.nextInt(3));
        span.setDroppedEventsCount(random.nextInt(3));
        span.setDroppedLinksCount(random.nextInt(3));
        if (random.nextInt(4) == 0) {
            span.setUnknownFields(UnknownFieldSet.newBuilder()
                    .addField(17 + random.nextInt(100), UnknownFieldSet.Field.newBuilder()
                            .addVarint(random.nextLong())
                            .addFixed32(random.nextInt())
                            .addFixed64(random.nextLong())
                            .addLengthDelimited(randomBytes(random, random.nextInt(30)))
                            .addGroup(UnknownFieldSet.newBuilder()
                                    .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                                    .build())
                            .build())
                    .build());
        }
        return span.build();
    }

    private static AnyValue randomValue(Random random, int depth) {
        int type = random.nextInt(depth > 0 ? 7 : 5);
        return switch (type) {
            case 0 -> str(randomName(random));
            case 1 -> OtlpFixtures.bool(random.nextBoolean());
            case 2 -> OtlpFixtures.int64(random.nextLong());
            case 3 -> OtlpFixtures.dbl(random.nextDouble());
            case 4 -> AnyValue.newBuilder().setBytesValue(randomBytes(random, random.nextInt(10))).build();
            case 5 -> OtlpFixtures.array(randomValue(random, depth - 1), randomValue(random, depth - 1));
            default -> OtlpFixtures.kvlist(attr("k", randomValue(random, depth - 1)));
        };
    }

    private static String randomName(Random random) {
        String[] parts = {"GET /api", "SELECT", "Grüße", "🚀", "日本語", "op", " ", "", "exception"};
        StringBuilder name = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            name.append(parts[random.nextInt(parts.length)]);
        }
        return name.toString();
    }

    private static ByteString randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return ByteString.copyFrom(b);
    }

    private static Span parseOrNull(byte[] bytes) {
        try {
            return Span.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private static byte[] withName(byte[] rawName) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeByteArray(5, rawName);
        coded.flush();
        return out.toByteArray();
    }

    private static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        Arrays.fill(b, value);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
