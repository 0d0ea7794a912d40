package io.tracesift.topology;

import io.tracesift.tenantrouting.FlagRules;
import io.tracesift.tenantrouting.TenantResolution;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tracesift.topology.Otlp.DROPPED_BY_CHANCE;
import static io.tracesift.topology.Otlp.request;
import static io.tracesift.topology.Otlp.span;
import static io.tracesift.topology.Otlp.spansOf;
import static io.tracesift.topology.Otlp.traceId;
import static io.tracesift.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Rollout flags and the tenant registry read as global tables, admission with a cap, per-tenant sampling. */
class TenantControlTopologyTest {
    private static final byte[] OFF = FlagRules.encodeValue(false);
    private static final byte[] ON = FlagRules.encodeValue(true);

    private static int sendTrace(TopologyFixture f, String tenant, String service, long n) {
        ByteString trace = traceId(n, DROPPED_BY_CHANCE);
        f.send(tenant, request(service, span(trace, 1, 0, f.now(), f.now() + 5, true)));
        return 1;
    }

    private static long keptSpans(TopologyFixture f, String tenant) {
        f.advance(Duration.ofSeconds(3));
        return spansOf(f.outputRequests(tenant)).size();
    }

    @Test
    void flagsTurnServicesOffAndOnAtOnceWithPhasesByGlobAndBadRecordsChangeNothing() {
        try (TopologyFixture f = new TopologyFixture()) {
            sendTrace(f, "acme", "core-api-orders", 1);
            assertThat(keptSpans(f, "acme")).isEqualTo(1);

            f.sendControl("tracesift-flags", "core-api-*", OFF);
            sendTrace(f, "acme", "core-api-orders", 2);
            sendTrace(f, "acme", "core-api-users", 3);
            sendTrace(f, "acme", "billing", 4);
            assertThat(keptSpans(f, "acme")).as("only billing added").isEqualTo(2);
            assertThat(f.counters.spansDroppedByReason()).containsExactly(Map.entry("flag-disabled", 2L));

            // An exact key beats the phase glob; a tenant-scoped key beats both for its tenant only.
            f.sendControl("tracesift-flags", "core-api-users", ON);
            f.sendControl("tracesift-flags", "globex/core-api-orders", ON);
            sendTrace(f, "acme", "core-api-users", 5);
            sendTrace(f, "acme", "core-api-orders", 6);
            sendTrace(f, "globex", "core-api-orders", 7);
            assertThat(keptSpans(f, "acme")).isEqualTo(3);
            assertThat(keptSpans(f, "globex")).isEqualTo(1);

            // Unparseable values and invalid keys are ignored: core-api-* stays off.
            f.sendControl("tracesift-flags", "core-api-*", "maybe".getBytes(StandardCharsets.UTF_8));
            f.sendControl("tracesift-flags", "../x/core-api-*", ON);
            sendTrace(f, "acme", "core-api-orders", 8);
            assertThat(keptSpans(f, "acme")).isEqualTo(3);

            f.sendControl("tracesift-flags", "core-api-*", null);
            sendTrace(f, "acme", "core-api-orders", 9);
            assertThat(keptSpans(f, "acme")).as("tombstone: back to the default").isEqualTo(4);
            assertThat(f.deadLetters()).as("dropping by flag is not a rejection").isEmpty();
        }
    }

    @Test
    void aRecordMixingAnEnabledAndADisabledServiceKeepsOnlyTheEnabledSpans() {
        try (TopologyFixture f = new TopologyFixture()) {
            f.sendControl("tracesift-flags", "legacy", OFF);
            ByteString trace = traceId(1, DROPPED_BY_CHANCE);
            f.send("acme", io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(Otlp.resourceSpans(Map.of("service.name", "checkout"),
                            List.of(span(trace, 1, 0, f.now(), f.now() + 5, true))))
                    .addResourceSpans(Otlp.resourceSpans(Map.of("service.name", "legacy"),
                            List.of(span(trace, 2, 1, f.now(), f.now() + 5, false))))
                    .build());
            assertThat(f.counters.spansDroppedByReason()).containsExactly(Map.entry("flag-disabled", 1L));
            assertThat(keptSpans(f, "acme")).as("the record's bytes are not passed through").isEqualTo(1);
        }
    }

    @Test
    void topicModeReadsEveryTenantInputTopicAndRefusesClaimsForOtherTenants() {
        try (TopologyFixture f = new TopologyFixture(Map.of("tenancy", Map.of("source", "topic")))) {
            long now = f.now();
            f.sendTo("otlp_spans.acme", null, request("checkout", span(traceId(1, DROPPED_BY_CHANCE), 1, 0, now, now + 5, true)));
            f.sendTo("otlp_spans.globex", "globex", request("checkout", span(traceId(1, DROPPED_BY_CHANCE), 1, 0, now, now + 5, true)));
            f.sendTo("otlp_spans.acme", "globex", request("checkout", span(traceId(2, DROPPED_BY_CHANCE), 1, 0, now, now + 5, true)));
            f.sendTo("otlp_spans.acme.eu", null, request("checkout", span(traceId(3, DROPPED_BY_CHANCE), 1, 0, now, now + 5, true)));
            assertThat(keptSpans(f, "acme")).isEqualTo(1);
            assertThat(keptSpans(f, "globex")).isEqualTo(1);
            assertThat(f.deadLetters()).extracting(r -> TopologyFixture.header(r, DeadLetter.REASON))
                    .containsExactly(TenantResolution.TENANT_CONFLICT, TenantResolution.INVALID_TENANT);
        }
    }

    @Test
    void defaultEnabledFalseLetsInOnlyFlaggedServices() {
        try (TopologyFixture f = new TopologyFixture(Map.of("flags", Map.of("default-enabled", false)))) {
            sendTrace(f, "acme", "checkout", 1);
            f.sendControl("tracesift-flags", "acme/checkout", "true".getBytes(StandardCharsets.UTF_8));
            sendTrace(f, "acme", "checkout", 2);
            assertThat(keptSpans(f, "acme")).isEqualTo(1);
            assertThat(f.counters.spansDroppedByReason()).containsEntry("flag-disabled", 1L);
        }
    }

    @Test
    void registryModeAcceptsOnlyRegisteredTenantsAndAppliesTheirSamplingOverride() {
        Map<String, Object> config = Map.of(
                "tenancy", Map.of("admission", Map.of("mode", "registry")),
                "sampling", Map.of("overrides", Map.of("drop-all", Map.of("policies", List.of(Map.of("type", "always-drop"))))));
        try (TopologyFixture f = new TopologyFixture(config)) {
            sendTrace(f, "acme", "checkout", 1);
            assertThat(f.deadLetters()).extracting(r -> TopologyFixture.header(r, DeadLetter.REASON))
                    .containsExactly(TenantResolution.UNKNOWN_TENANT);

            f.sendControl("tracesift-tenants", "acme", "{}".getBytes(StandardCharsets.UTF_8));
            f.sendControl("tracesift-tenants", "globex", "{\"sampling\": \"drop-all\"}".getBytes(StandardCharsets.UTF_8));
            f.sendControl("tracesift-tenants", "initech", "{\"partitions\": \"many\"}".getBytes(StandardCharsets.UTF_8));
            sendTrace(f, "acme", "checkout", 2);
            sendTrace(f, "globex", "checkout", 3);
            sendTrace(f, "initech", "checkout", 4);
            assertThat(keptSpans(f, "acme")).as("an error trace is kept by the default chain").isEqualTo(1);
            assertThat(keptSpans(f, "globex")).as("the override drops even errors").isZero();
            assertThat(f.counters.droppedByRule()).containsKey("always-drop");
            assertThat(f.deadLetters()).extracting(r -> TopologyFixture.header(r, DeadLetter.REASON))
                    .containsExactly(TenantResolution.UNKNOWN_TENANT, TenantResolution.UNKNOWN_TENANT);

            f.sendControl("tracesift-tenants", "acme", null);
            sendTrace(f, "acme", "checkout", 5);
            assertThat(f.deadLetters()).hasSize(3);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tenancy   | admission | mode        | everyone | tenancy.admission.mode",
            "tenancy   | admission | max-tenants | 0        | tenancy.admission.max-tenants",
            "tenancy   | topics    | partitions  | 0        | tenancy.topics.partitions",
            "tenancy   | topics    | retention   | forever  | tenancy.topics.retention",
            "flags     |           | default-enabled | maybe | flags.default-enabled",
            "flags     |           | colour      | red      | flags.colour",
    })
    void invalidTenancyAndFlagSettingsAreReportedAtStartup(String section, String sub, String key, String value,
                                                           String expected) {
        Map<String, Object> leaf = Map.of(key, value);
        Map<String, Object> config = Map.of(section, sub == null ? leaf : Map.of(sub, leaf));
        List<String> problems = new ArrayList<>();
        assertThat(TopologySettings.fromConfig(config, problems)).isNull();
        assertThat(problems).singleElement().asString().startsWith(expected + ":");
    }

    @Test
    void autoModeRefusesNewTenantsBeyondTheCap() {
        try (TopologyFixture f = new TopologyFixture(Map.of("tenancy", Map.of("admission", Map.of("max-tenants", 2))))) {
            sendTrace(f, "t1", "svc", 1);
            sendTrace(f, "t2", "svc", 2);
            sendTrace(f, "t3", "svc", 3);
            sendTrace(f, "t1", "svc", 4);
            assertThat(keptSpans(f, "t1")).isEqualTo(2);
            assertThat(keptSpans(f, "t2")).isEqualTo(1);
            assertThat(f.output("t3")).isEmpty();
            assertThat(f.deadLetters()).extracting(r -> TopologyFixture.header(r, DeadLetter.REASON))
                    .containsExactly(TenantResolution.TENANT_LIMIT);
            assertThat(f.counters.deadLettersByReason()).containsExactly(Map.entry(TenantResolution.TENANT_LIMIT, 1L));
        }
    }
}
