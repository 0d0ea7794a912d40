package io.tracesift.serdes;

import static io.tracesift.serdes.OtlpFixtures.attr;
import static io.tracesift.serdes.OtlpFixtures.bool;
import static io.tracesift.serdes.OtlpFixtures.dbl;
import static io.tracesift.serdes.OtlpFixtures.int64;
import static io.tracesift.serdes.OtlpFixtures.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

class RequestScannerTest {
    private static final List<String> KEYS = List.of("service.name", "http.route", "n", "flag", "ratio", "list",
            "map", "raw", "empty", "dup", "shadowed", "absent", "");

    private static Span span(int id, List<KeyValue> attributes) {
        return Span.newBuilder()
                .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
                .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) id}))
                .setName("op-" + id).setKind(Span.SpanKind.forNumber(id % 6))
                .setStartTimeUnixNano(1_000L * id).setEndTimeUnixNano(2_000L * id)
                .addAllAttributes(attributes).build();
    }

    /** Two resources (one with a schema URL), three scopes, spans whose attributes cover every value kind. */
    private static ExportTraceServiceRequest request() {
        Resource web = Resource.newBuilder().addAttributes(attr("service.name", str("web")))
                .addAttributes(attr("shadowed", str("resource"))).addAttributes(attr("region", str("eu"))).build();
        Resource db = Resource.newBuilder().addAttributes(attr("service.name", int64(7))).build();
        List<KeyValue> rich = List.of(attr("http.route", str("/a/{id}")), attr("n", int64(-42)), attr("flag", bool(true)),
                attr("ratio", dbl(0.25)),
                attr("list", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(str("x")).addValues(int64(1))).build()),
                attr("map", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(attr("k", str("v")))).build()),
                attr("raw", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("\u0001b")).build()),
                attr("empty", AnyValue.getDefaultInstance()), attr("dup", str("first")), attr("dup", str("second")),
                attr("shadowed", str("span")), attr("", str("no key")));
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(web).setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("http").setVersion("1"))
                                .addSpans(span(1, rich)).addSpans(span(2, List.of())))
                        .addScopeSpans(ScopeSpans.newBuilder().setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
                                .addSpans(span(3, List.of(attr("empty", str("not first")))))))
                .addResourceSpans(ResourceSpans.newBuilder().setResource(db)
                        .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("sql"))
                                .addSpans(span(4, rich.subList(0, 3)))))
                .build();
    }

    private record Expected(ResourceSpans rs, ScopeSpans ss, Span span) {}

    private static List<Expected> decoded(ExportTraceServiceRequest request) {
        List<Expected> all = new ArrayList<>();
        request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
                .forEach(span -> all.add(new Expected(rs, ss, span)))));
        return all;
    }

    private static Object firstPlain(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(kv -> kv.getKey().equals(key)).findFirst().map(kv -> OtlpValues.plain(kv.getValue())).orElse(null);
    }

    private static byte[] bytes(byte[] buf, int offset, int length) {
        return Arrays.copyOfRange(buf, offset, offset + length);
    }

    @Test
    void everySpanWithItsResourceScopeFactsAndAttributesAsTheFullParseSeesThem() throws Exception {
        ExportTraceServiceRequest request = request();
        byte[] padded = new byte[request.getSerializedSize() + 5];
        request.toByteString().copyTo(padded, 3);
        List<ScannedSpan> scanned = RequestScanner.scan(padded, 3, request.getSerializedSize());
        List<Expected> expected = decoded(request);

        assertThat(scanned).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            ScannedSpan s = scanned.get(i);
            Expected e = expected.get(i);
            assertThat(Span.parseFrom(bytes(s.buf(), s.offset(), s.length()))).isEqualTo(e.span());
            assertThat(s.length()).isEqualTo(e.span().getSerializedSize());
            assertThat(s.facts()).isEqualTo(SpanScanner.scan(e.span().toByteArray()));
            SpanOrigin resource = s.resource();
            assertThat(Resource.parseFrom(bytes(resource.buf(), resource.offset(), resource.length()))).isEqualTo(e.rs().getResource());
            assertThat(resource.schemaUrl()).isEqualTo(e.rs().getSchemaUrl());
            SpanOrigin scope = s.scope();
            assertThat(InstrumentationScope.parseFrom(bytes(scope.buf(), scope.offset(), scope.length()))).isEqualTo(e.ss().getScope());
            assertThat(scope.schemaUrl()).isEqualTo(e.ss().getSchemaUrl());
            for (String key : KEYS) {
                Object fromSpan = firstPlain(e.span().getAttributesList(), key);
                Object want = fromSpan != null ? fromSpan : firstPlain(e.rs().getResource().getAttributesList(), key);
                assertThat(s.attribute(key)).as("span %d attribute '%s'", i, key).isEqualTo(want);
                assertThat(s.resourceAttribute(key)).as("span %d resource attribute '%s'", i, key)
                        .isEqualTo(firstPlain(e.rs().getResource().getAttributesList(), key));
            }
        }
        assertThat(scanned.get(0).attribute("list")).asString().contains("string_value: \"x\"");
        assertThat(scanned.get(0).attribute("dup")).isEqualTo("first");
        assertThat(scanned.get(0).attribute("shadowed")).isEqualTo("span");
        assertThat(scanned.get(1).attribute("shadowed")).isEqualTo("resource");
        // A thread's spans share one attribute index: asking span 0 again after span 1 indexes span 0 again.
        assertThat(scanned.get(0).attribute("shadowed")).isEqualTo("span");
        assertThat(scanned.get(3).resourceAttribute("service.name")).isEqualTo(7L);
    }

    @Test
    void originsAreEqualByContentWhereverTheyLie() throws Exception {
        ExportTraceServiceRequest request = request();
        List<ScannedSpan> first = RequestScanner.scan(request.toByteArray(), 0, request.getSerializedSize());
        List<ScannedSpan> again = RequestScanner.scan(request.toByteArray(), 0, request.getSerializedSize());

        assertThat(first.get(0).resource()).isSameAs(first.get(1).resource()).isEqualTo(again.get(2).resource())
                .hasSameHashCodeAs(again.get(2).resource());
        assertThat(first.get(0).scope()).isEqualTo(again.get(1).scope());
        // Same (empty) scope bytes, different schema URL.
        byte[] plain = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(9, List.of())))).build().toByteArray();
        SpanOrigin emptyScope = RequestScanner.scan(plain, 0, plain.length).get(0).scope();
        assertThat(emptyScope.length()).isEqualTo(first.get(2).scope().length()).isZero();
        assertThat(first.get(2).scope()).isNotEqualTo(emptyScope);
        assertThat(first.get(0).resource()).isNotEqualTo(first.get(3).resource());
    }

    @Test
    void aResourceRepeatedByLaterRecordsIsOneSharedOriginOverItsOwnBytes() throws Exception {
        byte[] one = request().toByteArray();
        byte[] two = request().toBuilder().setResourceSpans(0, request().getResourceSpans(0).toBuilder()
                .setScopeSpans(0, ScopeSpans.newBuilder().addSpans(span(5, List.of())))).build().toByteArray();
        List<ScannedSpan> first = RequestScanner.scan(one, 0, one.length);
        List<ScannedSpan> later = RequestScanner.scan(two, 0, two.length);

        SpanOrigin web = first.get(0).resource();
        assertThat(later.get(0).resource()).isSameAs(web);
        assertThat(later.get(later.size() - 1).resource()).isSameAs(first.get(3).resource());
        // Its own copy: keeping it keeps neither record alive, and what it reads is still the resource.
        assertThat(web.buf()).isNotSameAs(one).isNotSameAs(two);
        assertThat(bytes(web.buf(), web.offset(), web.length()))
                .isEqualTo(request().getResourceSpans(0).getResource().toByteArray());
        assertThat(later.get(0).resourceAttribute("service.name")).isEqualTo("web");
        // Another schema URL is another origin.
        byte[] otherSchema = request().toBuilder().setResourceSpans(0, request().getResourceSpans(0).toBuilder()
                .setSchemaUrl("")).build().toByteArray();
        assertThat(RequestScanner.scan(otherSchema, 0, otherSchema.length).get(0).resource()).isNotSameAs(web)
                .isNotEqualTo(web);
    }

    @Test
    void recentResourcesKeepTwoPerSetTheLatestUsedFirst() {
        RecentResources recent = new RecentResources();
        // Three resources of one set (their hashes agree in the set bits), found by trying values in turn.
        List<SpanOrigin> sameSet = new ArrayList<>();
        for (int i = 0; sameSet.size() < 3; i++) {
            SpanOrigin o = resource("pod-" + i);
            if (sameSet.isEmpty() || (o.hashCode() & (RecentResources.SETS - 1))
                    == (sameSet.get(0).hashCode() & (RecentResources.SETS - 1))) {
                sameSet.add(o);
            }
        }
        SpanOrigin a = recent.shared(sameSet.get(0));
        SpanOrigin b = recent.shared(sameSet.get(1));
        assertThat(a).isNotSameAs(sameSet.get(0)).isEqualTo(sameSet.get(0));
        assertThat(recent.shared(copyOf(sameSet.get(0)))).isSameAs(a); // a is used again: b is now the older
        SpanOrigin c = recent.shared(sameSet.get(2));                     // evicts b
        assertThat(recent.shared(copyOf(sameSet.get(0)))).isSameAs(a);
        assertThat(recent.shared(copyOf(sameSet.get(2)))).isSameAs(c);
        assertThat(recent.shared(copyOf(sameSet.get(1)))).isNotSameAs(b).isEqualTo(b);

        // An absent resource and one over the size bound pass through unshared.
        SpanOrigin empty = new SpanOrigin(new byte[0], 0, 0, "");
        assertThat(recent.shared(empty)).isSameAs(empty);
        SpanOrigin large = resource("x".repeat(RecentResources.MAX_BYTES));
        assertThat(recent.shared(large)).isSameAs(large);
    }

    private static SpanOrigin resource(String pod) {
        byte[] encoded = Resource.newBuilder().addAttributes(attr("service.name", str("web")))
                .addAttributes(attr("k8s.pod.name", str(pod))).build().toByteArray();
        byte[] padded = new byte[encoded.length + 3];
        System.arraycopy(encoded, 0, padded, 3, encoded.length);
        return new SpanOrigin(padded, 3, encoded.length, "");
    }

    private static SpanOrigin copyOf(SpanOrigin o) {
        return new SpanOrigin(bytes(o.buf(), o.offset(), o.length()), 0, o.length(), o.schemaUrl());
    }

    @Test
    void originsHashTheirBytesWhereverTheyLieAndWhateverTheirLength() {
        byte[] bytes = new byte[64];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37 + 11);
        }
        // Every length up to a few eight-byte steps and any tail, at offsets that differ in both arrays.
        for (int length = 0; length <= 40; length++) {
            byte[] shifted = new byte[length + 13];
            System.arraycopy(bytes, 3, shifted, 13, length);
            SpanOrigin origin = new SpanOrigin(bytes, 3, length, "");
            SpanOrigin copy = new SpanOrigin(shifted, 13, length, "");
            assertThat(origin).isEqualTo(copy).hasSameHashCodeAs(copy);
            for (int flipped = 0; flipped < length; flipped++) {
                byte[] changed = shifted.clone();
                changed[13 + flipped] ^= 1;
                SpanOrigin other = new SpanOrigin(changed, 13, length, "");
                assertThat(other).isNotEqualTo(origin);
                assertThat(other.hashCode()).as("length %d, byte %d flipped", length, flipped)
                        .isNotEqualTo(origin.hashCode());
            }
        }
        assertThat(new SpanOrigin(bytes, 0, 8, "https://opentelemetry.io/schemas/1.26.0").hashCode())
                .isNotEqualTo(new SpanOrigin(bytes, 0, 8, "").hashCode());
    }

    @Test
    void aValueSentTwiceInOneKeyValueMergesAsProtobufMergesIt() throws Exception {
        // Two encodings of one KeyValue concatenated: the key repeats, the values merge (the last kind set wins).
        byte[] kv = concat(attr("k", str("a")).toByteArray(), attr("k", int64(5)).toByteArray());
        Span span = Span.newBuilder().addAttributes(KeyValue.parseFrom(kv)).build();
        byte[] spanBytes = concat(span(1, List.of()).toByteArray(), field(9, kv));
        byte[] request = field(1, field(2, field(2, spanBytes)));

        ScannedSpan scanned = RequestScanner.scan(request, 0, request.length).get(0);

        assertThat(scanned.attribute("k")).isEqualTo(OtlpValues.plain(KeyValue.parseFrom(kv).getValue())).isEqualTo(5L);
        assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(5L);
    }

    @Test
    void keysAfterTheirValuesKeysSentTwiceLongAndEmptyKeysAreFoundAsProtobufReadsThem() throws Exception {
        // A KeyValue written value first; one whose key repeats (the last key counts); a resource key sent twice.
        byte[] valueFirst = concat(field(2, str("v").toByteArray()), field(1, "late".getBytes()));
        byte[] renamed = concat(concat(field(1, "old".getBytes()), field(2, int64(7).toByteArray())), field(1, "new".getBytes()));
        String longKey = "k".repeat(200);
        byte[] spanBytes = concat(span(1, List.of(attr(longKey, str("long")), attr("", str("empty")))).toByteArray(),
                concat(field(9, valueFirst), field(9, renamed)));
        Resource resource = Resource.newBuilder().addAttributes(attr("tenant.id", str("a")))
                .addAttributes(attr("x", str("y"))).addAttributes(attr("tenant.id", str("b"))).build();
        byte[] request = field(1, concat(field(1, resource.toByteArray()), field(2, field(2, spanBytes))));
        Span parsed = ExportTraceServiceRequest.parseFrom(request).getResourceSpans(0).getScopeSpans(0).getSpans(0);

        ScannedSpan scanned = RequestScanner.scan(request, 0, request.length).get(0);

        assertThat(parsed.getAttributesList()).extracting(KeyValue::getKey).containsExactly(longKey, "", "late", "new");
        assertThat(scanned.attribute(longKey)).isEqualTo("long");
        assertThat(scanned.attribute("")).isEqualTo("empty");
        assertThat(scanned.attribute("late")).isEqualTo("v");
        assertThat(scanned.attribute("new")).isEqualTo(7L);
        assertThat(scanned.attribute("old")).isNull();
        assertThat(scanned.attribute("tenant.id")).isEqualTo("a");
        assertThat(scanned.resourceAttributes("tenant.id")).containsExactly("a", "b");
        assertThat(scanned.resourceAttributes("absent")).isEmpty();
    }

    @Test
    void attributesBeforeAndAfterOtherFieldsAndLongValuesAreFoundButNotAnEventsAttributes() throws Exception {
        // Attributes, then an event with an attribute of its own and a status, then more attributes: not the
        // encoders' order, but protobuf's, and the scanner notes one range around all of them.
        Span.Event event = Span.Event.newBuilder().setName("e").addAttributes(attr("inEvent", str("event"))).build();
        String longValue = "v".repeat(300);
        Span head = span(1, List.of(attr("first", str("a")), attr("long", str(longValue))));
        byte[] tail = concat(concat(field(11, event.toByteArray()), field(15, new byte[] {0x18, 0x02})),
                concat(field(9, attr("last", int64(300)).toByteArray()), field(9, attr("first", str("b")).toByteArray())));
        byte[] spanBytes = concat(head.toByteArray(), tail);
        byte[] noAttributes = span(2, List.of()).toByteArray();
        Resource resource = Resource.newBuilder().addAttributes(attr("service.name", str("svc"))).build();
        byte[] request = field(1, concat(field(1, resource.toByteArray()),
                field(2, concat(field(2, spanBytes), field(2, noAttributes)))));

        List<ScannedSpan> scanned = RequestScanner.scan(request, 0, request.length);

        Span parsed = ExportTraceServiceRequest.parseFrom(request).getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(parsed.getAttributesList()).extracting(KeyValue::getKey).containsExactly("first", "long", "last", "first");
        assertThat(scanned.get(0).facts().statusCode()).isEqualTo(2);
        assertThat(scanned.get(0).attribute("first")).isEqualTo("a");
        assertThat(scanned.get(0).attribute("long")).isEqualTo(longValue);
        assertThat(scanned.get(0).attribute("last")).isEqualTo(300L);
        assertThat(scanned.get(0).attribute("inEvent")).isNull();
        assertThat(scanned.get(0).attribute("service.name")).isEqualTo("svc");
        assertThat(scanned.get(1).attribute("first")).isNull();
        assertThat(scanned.get(1).attribute("service.name")).isEqualTo("svc");
    }

    @Test
    void spansOfManyRecordsAskedInTurnAndFromOtherThreadsAnswerForThemselves() throws Exception {
        // One index per thread serves every span: each answer must come from the span asked, whichever was asked last.
        List<List<ScannedSpan>> records = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            List<KeyValue> attributes = new ArrayList<>();
            for (int i = 0; i <= r * 10; i++) { // 1, 11 and 21 attributes: the index grows, then serves fewer again
                attributes.add(attr("k" + i, str("r" + r + "-" + i)));
            }
            attributes.add(attr("long", str(String.valueOf(r).repeat(200))));
            byte[] request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(r, attributes)))).build().toByteArray();
            records.add(RequestScanner.scan(request, 0, request.length));
        }
        for (int round = 0; round < 2; round++) {
            for (int r : new int[] {2, 0, 1, 2}) {
                ScannedSpan s = records.get(r).get(0);
                assertThat(s.attribute("k0")).isEqualTo("r" + r + "-0");
                assertThat(s.attribute("k10")).isEqualTo(r >= 1 ? "r" + r + "-10" : null);
                assertThat(s.attribute("long")).isEqualTo(String.valueOf(r).repeat(200));
            }
        }
        ScannedSpan last = records.get(2).get(0);
        Thread other = new Thread(() -> records.get(1).get(0).attribute("k5"));
        other.start();
        other.join();
        Object[] onOther = new Object[2];
        Thread reader = new Thread(() -> {
            onOther[0] = last.attribute("k20");
            onOther[1] = records.get(0).get(0).attribute("k0");
        });
        reader.start();
        reader.join();
        assertThat(onOther).containsExactly("r2-20", "r0-0");
        assertThat(last.attribute("k20")).isEqualTo("r2-20");
    }

    @Test
    void fieldsInAnyOrderAndTheLastSchemaUrlCount() throws Exception {
        Resource resource = Resource.newBuilder().addAttributes(attr("service.name", str("late"))).build();
        byte[] scopeSpans = concat(field(2, span(1, List.of()).toByteArray()), field(1, InstrumentationScope.newBuilder().setName("s").build().toByteArray()));
        byte[] resourceSpans = concat(concat(field(3, "first".getBytes()), field(2, scopeSpans)),
                concat(field(1, resource.toByteArray()), field(3, "last".getBytes())));
        byte[] request = field(1, resourceSpans);

        ScannedSpan scanned = RequestScanner.scan(request, 0, request.length).get(0);

        ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(request);
        assertThat(parsed.getResourceSpans(0).getSchemaUrl()).isEqualTo("last");
        assertThat(scanned.resource().schemaUrl()).isEqualTo("last");
        assertThat(scanned.resourceAttribute("service.name")).isEqualTo("late");
        assertThat(InstrumentationScope.parseFrom(bytes(scanned.scope().buf(), scanned.scope().offset(), scanned.scope().length())))
                .isEqualTo(parsed.getResourceSpans(0).getScopeSpans(0).getScope());
    }

    @Test
    void aResourceOrScopeSentTwiceIsLeftToProtobuf() throws Exception {
        byte[] twoResources = field(1, concat(field(1, new byte[0]), field(1, new byte[0])));
        byte[] twoScopes = field(1, field(2, concat(field(1, new byte[0]), field(1, new byte[0]))));

        assertThat(RequestScanner.scan(twoResources, 0, twoResources.length)).isNull();
        assertThat(RequestScanner.scan(twoScopes, 0, twoScopes.length)).isNull();
    }

    @Test
    void malformedBytesAreRejected() throws Exception {
        byte[] good = request().toByteArray();
        byte[] truncated = Arrays.copyOf(good, good.length - 3);

        assertThatThrownBy(() -> RequestScanner.scan(truncated, 0, truncated.length))
                .isInstanceOf(OtlpDecodeException.class).hasMessageContaining("not a well-formed OTLP");
        assertThat(RequestScanner.scan(new byte[0], 0, 0)).isEmpty();
    }

    /** A length-delimited field with a one-byte tag and a one-byte length (content under 128 bytes) or more. */
    private static byte[] field(int number, byte[] content) {
        com.google.protobuf.ByteString.Output out = ByteString.newOutput();
        try {
            com.google.protobuf.CodedOutputStream w = com.google.protobuf.CodedOutputStream.newInstance(out);
            w.writeByteArray(number, content);
            w.flush();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteString().toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
