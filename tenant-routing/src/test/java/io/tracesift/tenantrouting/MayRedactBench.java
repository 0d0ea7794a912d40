package io.tracesift.tenantrouting;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Hand-run measurement of {@link Redactor#mayRedact} on realistic clean telemetry (not a test, not run by CI):
 * {@code mvn -B -q -o -pl tenant-routing -am test-compile} then
 * {@code java -cp "tenant-routing/target/test-classes:tenant-routing/target/classes:<dependencies>"
 * io.tracesift.tenantrouting.MayRedactBench [resourceSpans] [rounds]}. Prints the median ns per span over rounds.
 */
public final class MayRedactBench {
    private static final String[] WORDS = ("the a to of and in is for on with as by be at this that it from or "
            + "order customer number buffer request response JSON table query result user account payment invoice "
            + "shipping address cart item price total tax discount please summarize explain return list the following "
            + "based on context provided below answer concise bullet points token were about between before "
            + "available database latency error retry timeout service endpoint Kubernetes cluster pod node deploy "
            + "version release notes March April 2026 Q3 revenue grew by percent compared to last year").split(" ");
    private static final String[] UAS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "okhttp/4.12.0", "python-requests/2.32.3", "Go-http-client/1.1"};

    /** A byte-level check such as {@link Redactor#mayRedact}. */
    interface Check {
        boolean test(byte[] buf, int offset, int length);
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        List<byte[]> corpus = corpus(count);
        Redactor redactor = Redactor.defaults();
        double[] ns = new double[rounds];
        for (int w = 0; w < 10; w++) {
            nsPerSpan(redactor::mayRedact, corpus);
        }
        for (int r = 0; r < rounds; r++) {
            ns[r] = nsPerSpan(redactor::mayRedact, corpus);
        }
        System.out.printf("mayRedact: median %.1f ns/span over %d rounds%n", median(ns), rounds);
    }

    /** {@code count} encoded ResourceSpans of 5 spans each; prints their size and how many mayRedact flags. */
    static List<byte[]> corpus(int count) {
        Random random = new Random(42);
        List<byte[]> corpus = new ArrayList<>();
        long bytes = 0;
        int flagged = 0;
        Redactor redactor = Redactor.defaults();
        for (int i = 0; i < count; i++) {
            byte[] encoded = resourceSpans(random).toByteArray();
            bytes += encoded.length;
            flagged += redactor.mayRedact(encoded, 0, encoded.length) ? 1 : 0;
            corpus.add(encoded);
        }
        System.out.printf("corpus: %d ResourceSpans, %d spans, %.0f bytes/span, mayRedact true for %d%n",
                count, count * 5, (double) bytes / (count * 5), flagged);
        return corpus;
    }

    /** Time of one pass of {@code check} over five copies of the corpus, per span. */
    static double nsPerSpan(Check check, List<byte[]> corpus) {
        long start = System.nanoTime();
        int hits = 0;
        for (int k = 0; k < 5; k++) {
            for (byte[] b : corpus) {
                hits += check.test(b, 0, b.length) ? 1 : 0;
            }
        }
        double ns = (System.nanoTime() - start) / (25.0 * corpus.size());
        return hits < 0 ? -1 : ns; // keeps the work observable
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static ResourceSpans resourceSpans(Random random) {
        String service = pick(random, "checkout", "cart", "payments", "recommendation", "assistant", "shipping");
        Resource.Builder resource = Resource.newBuilder()
                .addAttributes(kv("service.name", service))
                .addAttributes(kv("service.version", "1." + random.nextInt(20) + "." + random.nextInt(10)))
                .addAttributes(kv("service.namespace", "shop"))
                .addAttributes(kv("service.instance.id", new UUID(random.nextLong(), random.nextLong()).toString()))
                .addAttributes(kv("host.name", service + "-" + hex(random, 10) + "-" + hex(random, 5)))
                .addAttributes(kv("host.arch", "amd64"))
                .addAttributes(kv("os.type", "linux"))
                .addAttributes(kv("k8s.namespace.name", "prod-eu-west-1"))
                .addAttributes(kv("k8s.pod.name", service + "-7d9f8b" + hex(random, 4) + "-x2k4q"))
                .addAttributes(kv("k8s.pod.uid", new UUID(random.nextLong(), random.nextLong()).toString()))
                .addAttributes(kv("k8s.deployment.name", service))
                .addAttributes(kv("k8s.node.name",
                        "ip-10-0-" + random.nextInt(255) + "-" + random.nextInt(255) + ".eu-west-1.compute.internal"))
                .addAttributes(kv("container.id", hex(random, 64)))
                .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
                .addAttributes(kv("telemetry.sdk.language", "java"))
                .addAttributes(kv("telemetry.sdk.version", "1.44.1"))
                .addAttributes(kv("process.runtime.name", "OpenJDK Runtime Environment"));
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.okhttp-3.0")
                        .setVersion("2.10.0-alpha"));
        byte[] traceId = new byte[16];
        random.nextBytes(traceId);
        for (int i = 0; i < 5; i++) {
            scope.addSpans(span(random, traceId));
        }
        return ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope)
                .setSchemaUrl("https://opentelemetry.io/schemas/1.27.0").build();
    }

    private static Span span(Random random, byte[] traceId) {
        byte[] spanId = new byte[8];
        random.nextBytes(spanId);
        long start = 1_764_000_000_000_000_000L + random.nextInt(1_000_000_000);
        Span.Builder span = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
                .setSpanId(ByteString.copyFrom(spanId))
                .setParentSpanId(ByteString.copyFrom(spanId)).setStartTimeUnixNano(start)
                .setEndTimeUnixNano(start + random.nextInt(50_000_000)).setStatus(Status.newBuilder().setCodeValue(1));
        switch (random.nextInt(5)) {
            case 0 -> {
                String route = pick(random, "/api/v1/cart/{cartId}/items", "/api/v1/orders/{orderId}", "/checkout");
                span.setName("GET " + route).setKind(Span.SpanKind.SPAN_KIND_SERVER)
                        .addAttributes(kv("http.request.method", "GET"))
                        .addAttributes(kv("http.route", route))
                        .addAttributes(kv("url.full", "https://shop.example.com"
                                + route.replace("{cartId}", new UUID(random.nextLong(), random.nextLong()).toString())
                                        .replace("{orderId}", String.valueOf(random.nextInt(1_000_000)))
                                + "?page=" + random.nextInt(9) + "&sort=price"))
                        .addAttributes(kv("url.scheme", "https"))
                        .addAttributes(kv("user_agent.original", pick(random, UAS)))
                        .addAttributes(kv("client.address", "10.0." + random.nextInt(255) + "." + random.nextInt(255)))
                        .addAttributes(kv("http.response.status_code", 200))
                        .addAttributes(kv("network.protocol.version", "1.1"));
            }
            case 1 -> span.setName("POST").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .addAttributes(kv("http.request.method", "POST"))
                    .addAttributes(kv("url.full",
                            "http://payments.shop.svc.cluster.local:8080/v2/charges/" + hex(random, 32)))
                    .addAttributes(kv("server.address", "payments.shop.svc.cluster.local"))
                    .addAttributes(kv("server.port", 8080))
                    .addAttributes(kv("http.response.status_code", 201))
                    .addAttributes(kv("x.request.id", hex(random, 32)));
            case 2 -> span.setName("SELECT shop.orders").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .addAttributes(kv("db.system", "postgresql"))
                    .addAttributes(kv("db.name", "shop"))
                    .addAttributes(kv("db.user", "shop_app"))
                    .addAttributes(kv("db.statement", "SELECT o.id, o.customer_id, o.status, o.total_amount, "
                            + "o.currency, o.created_at, li.sku, li.quantity, li.unit_price FROM orders o "
                            + "JOIN line_items li ON li.order_id = o.id WHERE o.customer_id = $1 "
                            + "AND o.status IN ('PENDING', 'PAID', 'SHIPPED') AND o.created_at > $2 "
                            + "ORDER BY o.created_at DESC LIMIT " + (10 + random.nextInt(90))
                            + " OFFSET $3 FOR UPDATE SKIP LOCKED"))
                    .addAttributes(kv("server.address", "orders-db.shop.svc"))
                    .addAttributes(kv("db.operation", "SELECT"));
            case 3 -> span.setName("chat " + pick(random, "gpt-4o-mini", "claude-3-5-sonnet"))
                    .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .addAttributes(kv("gen_ai.system", "openai"))
                    .addAttributes(kv("gen_ai.request.model", "gpt-4o-mini-2024-07-18"))
                    .addAttributes(kv("gen_ai.agent.name", "order-support-agent"))
                    .addAttributes(kv("gen_ai.tool.name",
                            pick(random, "lookup_order", "refund_payment", "track_shipment")))
                    .addAttributes(kv("gen_ai.prompt", prose(random, 300)))
                    .addAttributes(kv("gen_ai.completion", prose(random, 300)))
                    .addAttributes(kv("gen_ai.usage.input_tokens", 100 + random.nextInt(2000)))
                    .addAttributes(kv("gen_ai.usage.output_tokens", 10 + random.nextInt(500)));
            default -> span.setName("orders publish").setKind(Span.SpanKind.SPAN_KIND_PRODUCER)
                    .addAttributes(kv("messaging.system", "kafka"))
                    .addAttributes(kv("messaging.destination.name", "orders"))
                    .addAttributes(kv("messaging.operation", "publish"))
                    .addAttributes(kv("messaging.message.id",
                            new UUID(random.nextLong(), random.nextLong()).toString()))
                    .addAttributes(kv("messaging.kafka.message.key", "order-" + random.nextInt(1_000_000)))
                    .addAttributes(kv("messaging.kafka.destination.partition", random.nextInt(12)))
                    .addAttributes(kv("messaging.client_id", "checkout-producer-1"));
        }
        return span.build();
    }

    private static String prose(Random random, int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            String word = WORDS[random.nextInt(WORDS.length)];
            if (text.length() == 0 || text.charAt(text.length() - 1) == '.') {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            }
            text.append(text.length() == 0 ? "" : " ").append(word);
            int r = random.nextInt(20);
            if (r == 0) {
                text.append('.');
            } else if (r == 1) {
                text.append(',');
            } else if (r == 2) {
                text.append(" #").append(random.nextInt(100_000));
            }
        }
        return text.append('.').toString();
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue kv(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    private static String hex(Random random, int digits) {
        StringBuilder out = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            out.append(Character.forDigit(random.nextInt(16), 16));
        }
        return out.toString();
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
