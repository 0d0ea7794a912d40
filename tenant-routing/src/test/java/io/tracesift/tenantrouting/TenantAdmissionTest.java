package io.tracesift.tenantrouting;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracesift.tenantrouting.TenantResolution.Rejected;
import io.tracesift.tenantrouting.TenantResolution.Resolved;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantAdmissionTest {
    private static final TenantId A = new TenantId("a");
    private static final TenantId B = new TenantId("b");
    private static final TenantId C = new TenantId("c");

    private static TenantAdmission admission(Map<String, Object> admission) {
        List<String> problems = new ArrayList<>();
        TenantAdmission result = TenantAdmission.fromConfig(Map.of("admission", admission), problems);
        assertThat(problems).isEmpty();
        return result;
    }

    @Test
    void autoModeAcceptsNewTenantsUpToTheCapAndKnownTenantsAlways() {
        TenantAdmission admission = admission(Map.of("max-tenants", 2));

        assertThat(admission.admit(A, Set.of(), TenantRegistry.empty())).isEqualTo(new Resolved(A));
        assertThat(admission.admit(B, Set.of(A), TenantRegistry.empty())).isEqualTo(new Resolved(B));
        assertThat(admission.admit(A, Set.of(A, B), TenantRegistry.empty())).isEqualTo(new Resolved(A));
        assertThat(admission.admit(C, Set.of(A, B), TenantRegistry.empty()))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo("tenant-limit"));
    }

    @Test
    void registryModeAcceptsOnlyRegisteredTenants() {
        TenantAdmission admission = admission(Map.of("mode", "registry"));
        TenantRegistry registry = TenantRegistry.empty().apply("a", "{}".getBytes(UTF_8)).registry();

        assertThat(admission.admit(A, Set.of(), registry)).isEqualTo(new Resolved(A));
        assertThat(admission.admit(B, Set.of(B), registry))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo("unknown-tenant"));
        assertThat(admission.admit(A, Set.of(), registry.apply("a", null).registry()))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo("unknown-tenant"));
    }

    @Test
    void defaultsToAutoWithAThousandTenants() {
        TenantAdmission admission = TenantAdmission.fromConfig(Map.of(), new ArrayList<>());
        assertThat(admission.mode()).isEqualTo(TenantAdmission.Mode.AUTO);
        assertThat(admission.maxTenants()).isEqualTo(1000);
        assertThat(admission.registryTopic()).isEqualTo("tracesift-tenants");
    }

    @Test
    void everyConfigurationProblemIsListed() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> section = Map.of("admission", Map.of("mode", "open", "max-tenants", 0, "max-tenant", 5));
        assertThat(TenantAdmission.fromConfig(section, problems)).isNull();
        assertThat(problems).hasSize(3).anySatisfy(p -> assertThat(p).startsWith("tenancy.admission.mode:"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.admission.max-tenants:"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.admission.max-tenant: unknown key"));
    }
}
