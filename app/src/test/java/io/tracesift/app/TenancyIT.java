package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracesift.app.config.AppSettings;
import io.tracesift.kafkalocal.LocalKafkaExtension;
import io.tracesift.query.ApiKeys;
import io.tracesift.query.QuerySettings;
import io.tracesift.topology.DeadLetter;
import io.tracesift.topology.TopologySettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenancy on a real broker, through the app's own {@link Pipeline}: rollout flags changed with {@code tracesift flags}
 * while it runs, an adversarial mix of 50 tenants sharing trace ids plus malicious tenant ids, and secrets in every
 * position searched for in every topic of the broker and in the app's logs.
 */
class TenancyIT {
    @RegisterExtension
    static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();

    @TempDir
    static Path stateDir;

    private static final String OPERATOR_KEY = "operator-key-0123456789";
    private static final String ISO01_KEY = "iso01-key-0123456789";
    private static final StringWriter LOGS = new StringWriter();
    private static WriterAppender capture;
    private static Pipeline pipeline;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void start() {
        captureLogs();
        KAFKA.createTopics(3, "otlp_spans");
        KAFKA.createTopics(1, "tracesift-dlq");
        Map<String, Object> config = Map.of(
                "assembly", Map.of("send-delay", "200ms", "punctuate-interval", "100ms"),
                "tenancy", Map.of("topics", Map.of("partitions", 1)));
        List<String> problems = new ArrayList<>();
        TopologySettings topology = TopologySettings.fromConfig(config, problems);
        assertThat(problems).isEmpty();
        // The query feed subscribes to traces.* by pattern: it sees a new tenant topic within a second, not 5 minutes.
        AppSettings app = new AppSettings(KAFKA.bootstrapServers(), "tracesift-tenancy-it", stateDir, 0,
                Map.of("bootstrap.servers", KAFKA.bootstrapServers(), "metadata.max.age.ms", "1000"));
        pipeline = Pipeline.start(app, topology, topology.tenancy().topics(),
                QuerySettings.defaults(ApiKeys.of(Map.of(OPERATOR_KEY, ApiKeys.OPERATOR, ISO01_KEY, "iso01"))), false);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender("capture");
        context.updateLoggers();
    }

    /** Every log event of this JVM at any level tracesift logs (its own at DEBUG), message and stack trace. */
    private static void captureLogs() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        capture = WriterAppender.newBuilder().setName("capture").setTarget(LOGS)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %logger %m %ex%n").build()).build();
        capture.start();
        context.getConfiguration().addAppender(capture);
        context.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
        context.updateLoggers();
        Configurator.setLevel(Map.of("io.tracesift", Level.DEBUG, "org.apache.kafka", Level.INFO));
    }

    // ---------------------------------------------------------------- rollout flags

    private record Probe(String topic, String service, long sentNanos) {}

    @Test
    void flagsSetWithTheCommandTakeEffectWithinSecondsWithoutRestart() throws Exception {
        OutputWatcher watcher = new OutputWatcher();
        Map<String, Probe> probes = new ConcurrentHashMap<>();
        List<String> acmeServices = List.of("core-api-orders", "core-api-users", "billing");
        int[] phase = {0};
        // Sends one probe trace per service every 250 ms for 5 s, then waits for the pipeline to emit.
        Runnable probeRound = () -> {
            phase[0]++;
            for (int i = 0; i < 20; i++) {
                for (String service : acmeServices) {
                    probes.put(sendProbe("acme", service, phase[0], i), new Probe("traces.acme", service, System.nanoTime()));
                }
                probes.put(sendProbe("globex", "billing", phase[0], i), new Probe("traces.globex", "billing", System.nanoTime()));
                sleep(250);
            }
            sleep(3000);
        };

        probeRound.run();
        watcher.poll();
        assertThat(arrived(probes, watcher, 1, "traces.acme", "core-api-orders")).as("all on by default").isEqualTo(20);

        long set = flags("set", "core-api-*", "off");
        probeRound.run();
        watcher.poll();
        long offOrders = switchOver(probes, watcher, 2, "traces.acme", "core-api-orders", false);
        long offUsers = switchOver(probes, watcher, 2, "traces.acme", "core-api-users", false);
        assertThat(arrived(probes, watcher, 2, "traces.acme", "billing")).isEqualTo(20);

        // A record that does not parse changes nothing; an exact key beats the phase glob.
        producer.send(new ProducerRecord<>("tracesift-flags", "core-api-*".getBytes(StandardCharsets.UTF_8),
                "maybe".getBytes(StandardCharsets.UTF_8))).get();
        long setUsers = flags("set", "core-api-users", "on");
        assertThat(logs()).as("the record that does not parse is ignored with a warning")
                .containsPattern("WARN \\S+ Ignoring tracesift-flags record: .*core-api-\\*");
        probeRound.run();
        watcher.poll();
        assertThat(arrived(probes, watcher, 3, "traces.acme", "core-api-orders")).as("still off").isZero();
        long onUsers = switchOver(probes, watcher, 3, "traces.acme", "core-api-users", true);

        long unset = flags("unset", "core-api-*");
        long tenantOff = flags("set", "billing", "off", "--tenant", "acme");
        probeRound.run();
        watcher.poll();
        long onOrders = switchOver(probes, watcher, 4, "traces.acme", "core-api-orders", true);
        long offBilling = switchOver(probes, watcher, 4, "traces.acme", "billing", false);
        assertThat(arrived(probes, watcher, 4, "traces.globex", "billing")).as("globex's billing is not acme's").isEqualTo(20);

        long[] delays = {offOrders - set, offUsers - set, onUsers - setUsers, onOrders - unset, offBilling - tenantOff};
        System.out.printf("flag change -> first probe in the new state, ms: %s%n",
                java.util.Arrays.toString(java.util.Arrays.stream(delays).map(n -> n / 1_000_000).toArray()));
        assertThat(java.util.Arrays.stream(delays).max().getAsLong()).isLessThan(Duration.ofSeconds(5).toNanos());

        StringWriter out = new StringWriter();
        var cli = Tracesift.commandLine(Map.of());
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("flags", "list", "--bootstrap-servers", KAFKA.bootstrapServers())).isZero();
        assertThat(out.toString()).containsPattern("(?m)^acme/billing +off$").containsPattern("(?m)^core-api-users +on$")
                .doesNotContain("core-api-*").contains("(any other service: on");
        // Every probe (one span) of a service while its flag was off is counted, and nothing else is.
        long missing = 0;
        for (String[] off : new String[][] {{"2", "core-api-orders"}, {"2", "core-api-users"}, {"3", "core-api-orders"},
                {"4", "billing"}}) {
            missing += 20 - arrived(probes, watcher, Integer.parseInt(off[0]), "traces.acme", off[1]);
        }
        long dropped = metric(pipeline, "tracesift_spans_dropped_total{reason=\"flag-disabled\"}");
        System.out.printf("flags: %d probes of flag-off services missing, tracesift_spans_dropped_total{reason=\"flag-disabled\"} %d%n",
                missing, dropped);
        assertThat(dropped).isEqualTo(missing).isPositive();
        watcher.close();
    }

    /** Runs {@code tracesift flags ARGS}; returns when it has finished (the record is acknowledged). */
    private static long flags(String... args) {
        List<String> all = new ArrayList<>(List.of("flags"));
        all.addAll(List.of(args));
        all.addAll(List.of("--bootstrap-servers", KAFKA.bootstrapServers()));
        assertThat(Tracesift.commandLine(Map.of()).execute(all.toArray(String[]::new))).isZero();
        return System.nanoTime();
    }

    /**
     * The probes of one phase and service flip state at most once: those sent before the flag took effect in the old
     * state, every later one in the new ({@code emitted}: whether the new state lets them through). Returns the send
     * time of the first probe in the new state.
     */
    private static long switchOver(Map<String, Probe> probes, OutputWatcher watcher, int phase, String topic, String service,
                                   boolean emitted) {
        List<Map.Entry<String, Probe>> ordered = probesOf(probes, phase, topic, service);
        List<Boolean> seen = ordered.stream().map(e -> watcher.contains(topic, e.getKey())).toList();
        int flips = 0;
        for (int i = 1; i < seen.size(); i++) {
            flips += seen.get(i) != seen.get(i - 1) ? 1 : 0;
        }
        assertThat(flips).as("%s/%s phase %d: %s", topic, service, phase, seen).isLessThanOrEqualTo(1);
        assertThat(seen.subList(seen.size() - 10, seen.size())).as("the last 10 probes are in the new state")
                .containsOnly(emitted);
        return ordered.get(seen.indexOf(emitted)).getValue().sentNanos();
    }

    private static long arrived(Map<String, Probe> probes, OutputWatcher watcher, int phase, String topic, String service) {
        return probesOf(probes, phase, topic, service).stream().filter(e -> watcher.contains(topic, e.getKey())).count();
    }

    private static List<Map.Entry<String, Probe>> probesOf(Map<String, Probe> probes, int phase, String topic, String service) {
        return probes.entrySet().stream()
                .filter(e -> e.getValue().topic().equals(topic) && e.getValue().service().equals(service)
                        && e.getKey().startsWith(String.format("%02x", phase)))
                .sorted(Map.Entry.comparingByValue(java.util.Comparator.comparingLong(Probe::sentNanos))).toList();
    }

    private static String sendProbe(String tenant, String service, int phase, int i) {
        ByteString trace = ByteString.copyFrom(ByteBuffer.allocate(16).put((byte) phase).putInt(service.hashCode())
                .putInt(tenant.hashCode()).putShort((short) i).put((byte) 1).array());
        long now = System.currentTimeMillis();
        ExportTraceServiceRequest request = request(Map.of("service.name", service, "tenant.id", tenant),
                span(trace, 1, 0, now, now + 3, true));
        // One key for all probes: one partition, so they are ingested in the order they were sent.
        producer.send(new ProducerRecord<>("otlp_spans", "probe".getBytes(StandardCharsets.UTF_8), request.toByteArray()));
        producer.flush();
        return HexFormat.of().formatHex(trace.toByteArray());
    }

    // ---------------------------------------------------------------- adversarial isolation

    @Test
    void fiftyTenantsSharingTraceIdsNeverMixAndEveryMaliciousIdIsRejectedWithItsReason() throws Exception {
        List<String> tenants = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
            tenants.add(String.format("iso%02d", t));
        }
        tenants.add("isoAcme");
        tenants.add("ISO01"); // valid, and another tenant than iso01: ids are never case-folded
        int traces = 4;
        Map<String, Set<String>> expectedSpans = new HashMap<>();
        long now = System.currentTimeMillis();
        for (int trace = 0; trace < traces; trace++) {
            ByteString traceId = isoTraceId(trace);
            for (int t = 0; t < tenants.size(); t++) {
                String tenant = tenants.get(t);
                // Each tenant's spans of a shared trace id; spans ids differ per tenant so a mix-up is visible.
                Span root = span(traceId, 1000L * t + 1, 0, now, now + 5, true);
                Span child = span(traceId, 1000L * t + 2, 1000L * t + 1, now + 1, now + 4, false);
                RecordHeaders headers = new RecordHeaders();
                Map<String, String> resource = new LinkedHashMap<>(Map.of("service.name", "svc-" + t));
                // Always the attribute (what the check reads); the header too for two thirds of the records.
                resource.put("tenant.id", tenant);
                if ((t + trace) % 3 != 0) {
                    headers.add("X-Scope-OrgID", tenant.getBytes(StandardCharsets.UTF_8));
                }
                producer.send(new ProducerRecord<>("otlp_spans", null, traceId.toByteArray(),
                        request(resource, root, child).toByteArray(), headers));
                expectedSpans.computeIfAbsent(tenant, k -> new TreeSet<>())
                        .addAll(List.of(hex(traceId) + "/" + hex(root.getSpanId()), hex(traceId) + "/" + hex(child.getSpanId())));
            }
        }
        // A trace id only iso00 has: another tenant asking for it must get 404.
        ByteString ownTraceId = isoTraceId(99);
        Span own = span(ownTraceId, 1, 0, now, now + 5, true);
        producer.send(new ProducerRecord<>("otlp_spans", null, ownTraceId.toByteArray(),
                request(Map.of("service.name", "svc-0", "tenant.id", "iso00"), own).toByteArray()));
        expectedSpans.get("iso00").add(hex(ownTraceId) + "/" + hex(own.getSpanId()));
        // Conflicting and malicious ids: each must land in the DLQ with this reason, never in a tenant topic.
        Map<String, String[]> malicious = new LinkedHashMap<>();
        malicious.put("conflict", new String[] {"iso01", "iso02", "tenant-conflict"});
        malicious.put("conflict-case", new String[] {"iso01", "ISO01", "tenant-conflict"});
        malicious.put("dotdot", new String[] {"../iso01", null, "invalid-tenant"});
        malicious.put("dotdot-attr", new String[] {null, "iso01/../iso02", "invalid-tenant"});
        malicious.put("star", new String[] {"*", null, "invalid-tenant"});
        malicious.put("regex", new String[] {"iso0.*", null, "invalid-tenant"});
        malicious.put("alternation", new String[] {"iso01|iso02", null, "invalid-tenant"});
        malicious.put("topic-dot", new String[] {"iso01.x", null, "invalid-tenant"});
        malicious.put("topic-name", new String[] {"traces.iso01", null, "invalid-tenant"});
        malicious.put("trailing-space", new String[] {"iso01 ", null, "invalid-tenant"});
        malicious.put("newline", new String[] {"iso01\niso02", null, "invalid-tenant"});
        malicious.put("nul", new String[] {"iso01\u0000", null, "invalid-tenant"});
        malicious.put("jndi", new String[] {"${jndi:ldap://x/a}", null, "invalid-tenant"});
        malicious.put("empty", new String[] {"", null, "invalid-tenant"});
        malicious.put("empty-attr", new String[] {null, "", "invalid-tenant"});
        malicious.put("10kb", new String[] {"a".repeat(10 * 1024), null, "invalid-tenant"});
        malicious.put("cyrillic", new String[] {"iso\u0410cme", null, "invalid-tenant"});
        malicious.put("cyrillic-attr", new String[] {null, "is\u043e01", "invalid-tenant"});
        malicious.put("fullwidth", new String[] {"iso\uFF10\uFF11", null, "invalid-tenant"});
        malicious.put("none", new String[] {null, null, "missing-tenant"});
        for (Map.Entry<String, String[]> e : malicious.entrySet()) {
            String header = e.getValue()[0];
            String attribute = e.getValue()[1];
            RecordHeaders headers = new RecordHeaders();
            headers.add("test.case", e.getKey().getBytes(StandardCharsets.UTF_8));
            if (header != null) {
                headers.add("X-Scope-OrgID", header.getBytes(StandardCharsets.UTF_8));
            }
            Map<String, String> resource = new LinkedHashMap<>(Map.of("service.name", "evil"));
            if (attribute != null) {
                resource.put("tenant.id", attribute);
            }
            ByteString traceId = isoTraceId(1); // shares a trace id with every honest tenant
            producer.send(new ProducerRecord<>("otlp_spans", null, traceId.toByteArray(),
                    request(resource, span(traceId, 999_999, 0, now, now + 5, true)).toByteArray(), headers));
        }
        producer.flush();

        long expectedTotal = expectedSpans.values().stream().mapToLong(Set::size).sum();
        Map<String, Set<String>> found = new HashMap<>();
        List<String> foreign = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Set<String> tenantTopics = Set.of();
        while (System.nanoTime() < deadline) {
            found.clear();
            foreign.clear();
            // Every tenant topic is checked for foreign spans, those of this class's other tests too.
            tenantTopics = outputTopics(name -> name.startsWith("traces."));
            for (String topic : tenantTopics) {
                String tenant = topic.substring("traces.".length());
                for (ConsumerRecord<byte[], byte[]> r : readAll(topic)) {
                    for (ResourceSpans rs : parse(r.value()).getResourceSpansList()) {
                        String claimed = resourceAttribute(rs, "tenant.id");
                        rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(s -> {
                            String id = hex(s.getTraceId()) + "/" + hex(s.getSpanId());
                            if (!tenant.equals(claimed)) {
                                foreign.add(topic + " holds " + id + " of " + claimed);
                            }
                            if (!OTHER_TESTS_TENANTS.contains(tenant)) {
                                found.computeIfAbsent(tenant, k -> new TreeSet<>()).add(id);
                            }
                        }));
                    }
                }
            }
            if (found.values().stream().mapToLong(Set::size).sum() >= expectedTotal) {
                break;
            }
            sleep(2000);
        }
        assertThat(foreign).as("records of a foreign tenant").isEmpty();
        assertThat(tenantTopics.stream().filter(t -> !OTHER_TESTS_TENANTS.contains(t.substring("traces.".length()))))
                .as("one topic per honest tenant, none for a malicious id")
                .containsExactlyInAnyOrderElementsOf(tenants.stream().map(t -> "traces." + t).toList());
        assertThat(found).isEqualTo(expectedSpans);
        System.out.printf("isolation: %d tenants, %d spans, all in their own topic; %d malicious records%n",
                tenants.size(), expectedTotal, malicious.size());

        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll("tracesift-dlq")) {
            Header testCase = r.headers().lastHeader("test.case");
            if (testCase != null) {
                reasons.put(new String(testCase.value(), StandardCharsets.UTF_8),
                        new String(r.headers().lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8));
            }
        }
        Map<String, String> expectedReasons = new HashMap<>();
        malicious.forEach((name, c) -> expectedReasons.put(name, c[2]));
        assertThat(reasons).isEqualTo(expectedReasons);
        Map<String, Long> rejected = new TreeMap<>();
        expectedReasons.values().forEach(reason -> rejected.merge(reason, 1L, Long::sum));
        for (Map.Entry<String, Long> e : rejected.entrySet()) {
            assertThat(metric(pipeline, "tracesift_dlq_records_total{reason=\"" + e.getKey() + "\"}"))
                    .as("DLQ counter of %s", e.getKey()).isGreaterThanOrEqualTo(e.getValue());
        }

        // State: every tenant's view of a shared trace id holds its own two spans only; a trace id another tenant
        // has is 404.
        int port = pipeline.httpPort();
        for (int t = 0; t < tenants.size(); t++) {
            HttpResponse<String> view = awaitStatus(port, "/api/traces/" + hex(isoTraceId(1)), asOperatorOf(tenants.get(t)), 200);
            Set<String> spanIds = new TreeSet<>();
            JSON.readTree(view.body()).path("data").forEach(trace -> trace.path("spans")
                    .forEach(span -> spanIds.add(span.path("spanID").asText())));
            assertThat(spanIds).as(tenants.get(t))
                    .containsExactlyInAnyOrder(hex(spanId(1000L * t + 1)), hex(spanId(1000L * t + 2)));
        }
        String ownPath = "/api/traces/" + hex(ownTraceId);
        awaitStatus(port, ownPath, asOperatorOf("iso00"), 200);
        HttpResponse<String> foreignLookup = awaitStatus(port, ownPath, Map.of("X-API-Key", ISO01_KEY), 404);
        assertThat(foreignLookup.body()).doesNotContain(hex(own.getSpanId()));
        HttpResponse<String> claimed = LocalHttp.get(port, ownPath, Map.of("X-API-Key", ISO01_KEY, "X-Scope-OrgID", "iso00"));
        assertThat(claimed.statusCode()).as("iso01's key naming iso00").isEqualTo(401);
        assertThat(claimed.body()).doesNotContain(hex(own.getSpanId()));

        // Metric series: each tenant's endpoint shows its own series only; no rejected id labels any series.
        Pattern tenantLabel = Pattern.compile("tenant=\"([^\"]*)\"");
        Pattern serviceLabel = Pattern.compile("service=\"([^\"]*)\"");
        for (int t = 0; t < tenants.size(); t++) {
            String service = "svc-" + t;
            String body = awaitBody(port, "/metrics/tenant/" + tenants.get(t), Map.of("X-API-Key", OPERATOR_KEY),
                    b -> b.contains("service=\"" + service + "\""));
            assertThat(labelValues(body, tenantLabel)).as(tenants.get(t)).containsOnly(tenants.get(t));
            assertThat(labelValues(body, serviceLabel)).as(tenants.get(t)).containsOnly(service);
        }
        assertThat(LocalHttp.get(port, "/metrics/tenant/iso02", Map.of("X-API-Key", ISO01_KEY)).statusCode()).isEqualTo(403);
        assertThat(LocalHttp.get(port, "/metrics/tenant/iso0.*", Map.of("X-API-Key", OPERATOR_KEY)).statusCode()).isEqualTo(404);
        Set<String> labelled = labelValues(LocalHttp.get(port, "/metrics", Map.of()).body(), tenantLabel);
        assertThat(labelled).containsAll(tenants);
        assertThat(labelled.stream().filter(t -> !tenants.contains(t) && !OTHER_TESTS_TENANTS.contains(t)))
                .as("tenant label values of no honest tenant").isEmpty();
        System.out.printf("isolation: %d tenants' views of a shared trace id hold only their own spans; a foreign trace id is 404;"
                + " /metrics/tenant/<id> shows only that tenant's series; /metrics labels %d tenants, no malicious id%n",
                tenants.size(), labelled.size());
    }

    /** Tenants of the other tests in this class, which share the broker. */
    private static final Set<String> OTHER_TESTS_TENANTS = Set.of("acme", "globex", "leaktest", "tmacme", "tmglobex",
            "tminitech");

    // ---------------------------------------------------------------- topic mode

    @Test
    void topicModeTakesTheTenantFromTheInputTopicAndRefusesClaimsForAnother() throws Exception {
        KAFKA.createTopics(2, "otlp_spans.tmacme");
        KAFKA.createTopics(1, "otlp_spans.tmglobex", "tracesift-dlq-topic-mode");
        Map<String, Object> config = Map.of(
                // Read by pattern, so this topic is never read and need not exist.
                "topics", Map.of("input", "otlp_spans-not-in-topic-mode", "dlq", "tracesift-dlq-topic-mode"),
                "tenancy", Map.of("source", "topic", "topics", Map.of("partitions", 1)),
                "assembly", Map.of("send-delay", "200ms", "punctuate-interval", "100ms"));
        List<String> problems = new ArrayList<>();
        TopologySettings topology = TopologySettings.fromConfig(config, problems);
        assertThat(problems).isEmpty();
        // New otlp_spans.<tenant> topics are picked up at the consumer's next metadata refresh.
        AppSettings app = new AppSettings(KAFKA.bootstrapServers(), "tracesift-topic-mode-it", stateDir.resolve("topic-mode"),
                0, Map.of("bootstrap.servers", KAFKA.bootstrapServers(), "metadata.max.age.ms", "1000"));
        long now = System.currentTimeMillis();
        ByteString shared = ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x70_0000L).putLong(1).array());
        Map<String, Set<String>> expected = new HashMap<>();
        try (Pipeline topicMode = Pipeline.start(app, topology, topology.tenancy().topics(),
                QuerySettings.defaults(ApiKeys.of(Map.of())), false)) {
            // The topic names the tenant; a header or attribute naming the same tenant is fine, another one is refused.
            // (Accepted records carry the attribute: the isolation test checks it against the topic they land in.)
            sendToTopic("otlp_spans.tmacme", null, "tmacme", span(shared, 1, 0, now, now + 5, true));
            sendToTopic("otlp_spans.tmglobex", "tmglobex", "tmglobex", span(shared, 2, 0, now, now + 5, true));
            expected.put("tmacme", Set.of(hex(shared) + "/" + hex(spanId(1))));
            expected.put("tmglobex", Set.of(hex(shared) + "/" + hex(spanId(2))));
            Map<String, String> refused = new LinkedHashMap<>();
            refused.put(sendToTopic("otlp_spans.tmacme", "tmglobex", null, span(shared, 3, 0, now, now + 5, true)),
                    "tenant-conflict");
            refused.put(sendToTopic("otlp_spans.tmacme", null, "tmglobex", span(shared, 4, 0, now, now + 5, true)),
                    "tenant-conflict");
            // Topics created while it runs: a new tenant, and a name that is not a tenant id.
            KAFKA.createTopics(1, "otlp_spans.tminitech", "otlp_spans.tm.evil");
            sendToTopic("otlp_spans.tminitech", null, "tminitech", span(shared, 5, 0, now, now + 5, true));
            expected.put("tminitech", Set.of(hex(shared) + "/" + hex(spanId(5))));
            refused.put(sendToTopic("otlp_spans.tm.evil", null, null, span(shared, 6, 0, now, now + 5, true)),
                    "invalid-tenant");

            Map<String, Set<String>> found = new HashMap<>();
            Map<String, String> reasons = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while ((found.size() < expected.size() || reasons.size() < refused.size()) && System.nanoTime() < deadline) {
                sleep(1000);
                Set<String> topics = outputTopics(name -> name.startsWith("traces.tm"));
                for (String topic : topics) {
                    for (ConsumerRecord<byte[], byte[]> r : readAll(topic)) {
                        parse(r.value()).getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss ->
                                ss.getSpansList().forEach(sp -> found.computeIfAbsent(topic.substring("traces.".length()),
                                        k -> new TreeSet<>()).add(hex(sp.getTraceId()) + "/" + hex(sp.getSpanId())))));
                    }
                }
                for (ConsumerRecord<byte[], byte[]> r : readAll("tracesift-dlq-topic-mode")) {
                    for (ResourceSpans rs : parse(r.value()).getResourceSpansList()) {
                        rs.getScopeSpansList().forEach(ss -> ss.getSpansList().forEach(sp -> reasons.put(hex(sp.getSpanId()),
                                new String(r.headers().lastHeader(DeadLetter.REASON).value(), StandardCharsets.UTF_8))));
                    }
                }
                if (found.size() < expected.size() || reasons.size() < refused.size()) {
                    found.clear();
                    reasons.clear();
                }
            }
            assertThat(found).as("each topic-mode tenant's own span, nothing else").isEqualTo(expected);
            assertThat(reasons).isEqualTo(refused);
            assertThat(outputTopics(name -> name.startsWith("traces.tm"))).as("no topic for the invalid suffix")
                    .containsExactlyInAnyOrder("traces.tmacme", "traces.tmglobex", "traces.tminitech");
            System.out.printf("topic mode: %d tenants from their input topics (one created while running), %d claims refused%n",
                    found.size(), reasons.size());
        }
    }

    /** Sends one span to an input topic, with the tenant header and resource attribute when given; returns its span id. */
    private static String sendToTopic(String topic, String header, String attribute, Span span) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        if (header != null) {
            headers.add("X-Scope-OrgID", header.getBytes(StandardCharsets.UTF_8));
        }
        Map<String, String> resource = new LinkedHashMap<>(Map.of("service.name", "tm-svc"));
        if (attribute != null) {
            resource.put("tenant.id", attribute);
        }
        producer.send(new ProducerRecord<>(topic, null, span.getTraceId().toByteArray(),
                request(resource, span).toByteArray(), headers)).get();
        return hex(span.getSpanId());
    }

    private static ByteString isoTraceId(int n) {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x7E57_0000L + n).putLong(0x00FF_FFFF_0000_0001L).array());
    }

    // ---------------------------------------------------------------- redaction leak

    private static final List<String> SECRETS = List.of(
            "hunter2-span-attr-pw",                                  // span attribute password
            "Server=db;Password=res0urce-conn-str",                  // resource db.connection_string
            "scope-api-key-9f8e7d",                                  // scope attribute api_key
            "Bearer evtTok3nSecretValue",                            // event attribute (exception message)
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.c2lnbmF0dXJlLXNlY3JldA", // JWT in an exception message
            "AKIAIOSFODNN7LEAKED1",                                  // AWS key in a link attribute
            "4111 1111 1111 1111",                                   // card number in a span name
            "leaky.person@example.com",                              // e-mail in the status message
            "link-cookie-value-77");                                 // link attribute cookie

    @Test
    void secretsInEveryPositionAppearInNoTopicAndNoLog() throws Exception {
        long now = System.currentTimeMillis();
        ByteString traceId = ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x5EC2E7L).putLong(0x00FF_FFFF_FFFF_FFFFL).array());
        Span.Builder root = span(traceId, 1, 0, now, now + 20, true).toBuilder()
                .setName("charge card 4111 1111 1111 1111")
                .addAttributes(attr("password", "hunter2-span-attr-pw"))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
                        .setMessage("mail to leaky.person@example.com failed"))
                .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(now * 1_000_000L)
                        .addAttributes(attr("exception.message", "401 for Bearer evtTok3nSecretValue"))
                        .addAttributes(attr("exception.stacktrace",
                                "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrIn0.c2lnbmF0dXJlLXNlY3JldA rejected")))
                .addLinks(Span.Link.newBuilder().setTraceId(traceId).setSpanId(spanId(7))
                        .addAttributes(attr("aws.key", "key AKIAIOSFODNN7LEAKED1"))
                        .addAttributes(attr("http.request.header.cookie", "link-cookie-value-77")));
        ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(Resource.newBuilder()
                .addAttributes(attr("service.name", "vault"))
                .addAttributes(attr("tenant.id", "leaktest"))
                .addAttributes(attr("db.connection_string", "Server=db;Password=res0urce-conn-str")));
        rs.addScopeSpansBuilder().setScope(InstrumentationScope.newBuilder().setName("scope")
                .addAttributes(attr("api_key", "scope-api-key-9f8e7d"))).addSpans(root);
        ExportTraceServiceRequest secretTrace = ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build();
        producer.send(new ProducerRecord<>("otlp_spans", traceId.toByteArray(), secretTrace.toByteArray())).get();
        // The same secrets with no tenant (DLQ: missing-tenant) and with an absurd timestamp (DLQ: invalid-timestamp).
        ResourceSpans.Builder noTenant = rs.clone();
        noTenant.getResourceBuilder().clearAttributes().addAttributes(attr("service.name", "vault"))
                .addAttributes(attr("db.connection_string", "Server=db;Password=res0urce-conn-str"));
        producer.send(new ProducerRecord<>("otlp_spans", ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(noTenant).build().toByteArray())).get();
        ResourceSpans.Builder badTime = rs.clone();
        badTime.getScopeSpansBuilder(0).getSpansBuilder(0).setStartTimeUnixNano(1).setEndTimeUnixNano(2);
        producer.send(new ProducerRecord<>("otlp_spans", ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(badTime).build().toByteArray())).get();
        // Undecodable bytes are kept as they came, in the DLQ only.
        String undecodable = "{ not otlp, password=undecodable-raw-secret";
        producer.send(new ProducerRecord<>("otlp_spans", undecodable.getBytes(StandardCharsets.UTF_8))).get();

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<ConsumerRecord<byte[], byte[]>> kept = List.of();
        while (kept.isEmpty() && System.nanoTime() < deadline) {
            sleep(1000);
            if (outputTopics(name -> name.equals("traces.leaktest")).contains("traces.leaktest")) {
                kept = readAll("traces.leaktest");
            }
        }
        assertThat(kept).as("the trace was kept").isNotEmpty();
        String keptText = parse(kept.get(0).value()).toString();
        assertThat(keptText).contains("[REDACTED]").contains("charge card ");
        sleep(3000); // changelog writes of the same transaction are committed with the output

        Set<String> topics = outputTopics(name -> !name.equals("otlp_spans"));
        assertThat(topics).contains("traces.leaktest", "tracesift-dlq")
                .anyMatch(t -> t.endsWith("-changelog")).anyMatch(t -> t.endsWith("-repartition"));
        Map<String, List<String>> leaks = new LinkedHashMap<>();
        long bytesSearched = 0;
        for (String topic : topics) {
            for (ConsumerRecord<byte[], byte[]> r : readAll(topic)) {
                List<byte[]> parts = new ArrayList<>();
                parts.add(r.key());
                parts.add(r.value());
                r.headers().forEach(h -> parts.add(h.value()));
                for (byte[] part : parts) {
                    if (part == null) {
                        continue;
                    }
                    bytesSearched += part.length;
                    String text = new String(part, StandardCharsets.ISO_8859_1);
                    for (String secret : SECRETS) {
                        if (text.contains(secret) || text.contains(secret.replace(" ", ""))) {
                            leaks.computeIfAbsent(topic, k -> new ArrayList<>()).add(secret);
                        }
                    }
                    if (text.contains("undecodable-raw-secret") && !topic.equals("tracesift-dlq")) {
                        leaks.computeIfAbsent(topic, k -> new ArrayList<>()).add("undecodable-raw-secret");
                    }
                }
            }
        }
        String logs = logs();
        for (String secret : SECRETS) {
            if (logs.contains(secret) || logs.contains(secret.replace(" ", ""))) {
                leaks.computeIfAbsent("logs", k -> new ArrayList<>()).add(secret);
            }
        }
        if (logs.contains("undecodable-raw-secret")) {
            leaks.computeIfAbsent("logs", k -> new ArrayList<>()).add("undecodable-raw-secret");
        }
        String metrics = LocalHttp.get(pipeline.httpPort(), "/metrics", Map.of()).body();
        for (String secret : SECRETS) {
            if (metrics.contains(secret) || metrics.contains(secret.replace(" ", ""))) {
                leaks.computeIfAbsent("/metrics", k -> new ArrayList<>()).add(secret);
            }
        }
        System.out.printf("redaction: searched %d topics (%d bytes), %d characters of logs and %d of /metrics%n",
                topics.size(), bytesSearched, logs.length(), metrics.length());
        assertThat(leaks).isEmpty();
        // Three decodable records (kept, missing-tenant, invalid-timestamp) with 4 denied keys and one value of each
        // pattern: at least that many replacements per rule (a retried transaction may count twice, never fewer).
        Map<String, Long> redacted = new TreeMap<>();
        for (String rule : List.of("deny-key", "bearer-token", "jwt", "aws-access-key", "credit-card", "email")) {
            redacted.put(rule, metric(pipeline, "tracesift_redacted_values_total{rule=\"" + rule + "\"}"));
        }
        System.out.printf("redaction counters on /metrics: %s%n", redacted);
        assertThat(redacted.get("deny-key")).isGreaterThanOrEqualTo(12);
        assertThat(redacted).allSatisfy((rule, n) -> assertThat(n).as(rule).isGreaterThanOrEqualTo(3));
        assertThat(logs).as("the capture works").contains("Created topic traces.leaktest");
        assertThat(readAll("tracesift-dlq")).as("the DLQ keeps undecodable input as it came")
                .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).equals(undecodable));
    }

    // ---------------------------------------------------------------- helpers

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String logs() {
        synchronized (LOGS) {
            return LOGS.toString();
        }
    }

    /** The value of one series (name and labels exactly as exposed) on the pipeline's /metrics; 0 when absent. */
    private static long metric(Pipeline on, String series) throws Exception {
        String body = LocalHttp.get(on.httpPort(), "/metrics", Map.of()).body();
        return body.lines().filter(line -> line.startsWith(series + " "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(series.length() + 1).trim())).sum();
    }

    private static Map<String, String> asOperatorOf(String tenant) {
        return Map.of("Authorization", "Bearer " + OPERATOR_KEY, "X-Scope-OrgID", tenant);
    }

    /**
     * Asks until the answer has {@code status}: the query feed sees a new tenant topic at its next metadata refresh,
     * and answers 503 while the new topics rebalance Kafka Streams. Any other status fails at once.
     */
    private static HttpResponse<String> awaitStatus(int port, String path, Map<String, String> headers, int status)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            HttpResponse<String> response = LocalHttp.get(port, path, headers);
            if (response.statusCode() == status) {
                return response;
            }
            assertThat(response.statusCode()).as("%s while waiting for %d: %s", path, status, response.body())
                    .isIn(404, 503);
            assertThat(System.nanoTime()).as("%s still %d after 90 s", path, response.statusCode()).isLessThan(deadline);
            sleep(500);
        }
    }

    /** Asks until a 200 body satisfies {@code ready} (series appear as the metrics stores are flushed). */
    private static String awaitBody(int port, String path, Map<String, String> headers, Predicate<String> ready)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            HttpResponse<String> response = LocalHttp.get(port, path, headers);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            if (ready.test(response.body())) {
                return response.body();
            }
            assertThat(System.nanoTime()).as("%s not ready after 60 s: %s", path, response.body()).isLessThan(deadline);
            sleep(500);
        }
    }

    private static Set<String> labelValues(String exposition, Pattern label) {
        Set<String> values = new TreeSet<>();
        exposition.lines().filter(line -> !line.startsWith("#")).forEach(line -> {
            Matcher m = label.matcher(line);
            while (m.find()) {
                values.add(m.group(1));
            }
        });
        return values;
    }

    private static Set<String> outputTopics(Predicate<String> filter) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            Set<String> names = new TreeSet<>(admin.listTopics().names().get());
            names.removeIf(filter.negate());
            return names;
        }
    }

    /** Every record of the topic (all partitions, uncommitted ones too), from the start to the current end. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** Collects the trace ids (record keys) written to tenant topics. */
    private static final class OutputWatcher implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "tenancy-it-watcher",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 500,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        private final Set<String> seen = new TreeSet<>();

        OutputWatcher() {
            consumer.subscribe(java.util.regex.Pattern.compile("traces\\.(acme|globex)"));
        }

        void poll() {
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(r ->
                        seen.add(r.topic() + "/" + new String(r.key(), StandardCharsets.UTF_8)));
            }
        }

        boolean contains(String topic, String traceHex) {
            return seen.contains(topic + "/" + traceHex);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static ExportTraceServiceRequest request(Map<String, String> resource, Span... spans) {
        Resource.Builder r = Resource.newBuilder();
        resource.forEach((k, v) -> r.addAttributes(attr(k, v)));
        ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(r);
        rs.addScopeSpansBuilder().setScope(InstrumentationScope.newBuilder().setName("it")).addAllSpans(List.of(spans));
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build();
    }

    private static Span span(ByteString traceId, long id, long parent, long startMs, long endMs, boolean error) {
        Span.Builder b = Span.newBuilder().setTraceId(traceId).setSpanId(spanId(id)).setName("op")
                .setStartTimeUnixNano(startMs * 1_000_000L).setEndTimeUnixNano(endMs * 1_000_000L);
        if (parent != 0) {
            b.setParentSpanId(spanId(parent));
        }
        if (error) {
            b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        }
        return b.build();
    }

    private static ByteString spanId(long n) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(n).array());
    }

    private static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static String resourceAttribute(ResourceSpans rs, String key) {
        return rs.getResource().getAttributesList().stream().filter(kv -> kv.getKey().equals(key))
                .map(kv -> kv.getValue().getStringValue()).findFirst().orElse(null);
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    private static ExportTraceServiceRequest parse(byte[] value) {
        try {
            return ExportTraceServiceRequest.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not OTLP protobuf", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
