package io.tracesift.query;

import io.tracesift.tenantrouting.TenantId;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TenantScopeTest {
    static final String ACME_KEY = "acme-key-0123456789";
    static final String GLOBEX_KEY = "globex-key-0123456789";
    static final String OPERATOR_KEY = "operator-key-0123456789";
    static final ApiKeys KEYS = ApiKeys.of(Map.of(ACME_KEY, "acme", GLOBEX_KEY, "globex", OPERATOR_KEY, "*"));
    private final TenantScope scope = new TenantScope(KEYS);

    private TenantScope.Result resolve(String... headers) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return scope.resolve(h::get);
    }

    @Test
    void aBearerKeyReadsItsOwnTenant() {
        assertThat(resolve("Authorization", "Bearer " + ACME_KEY))
                .isEqualTo(new TenantScope.Scoped(new TenantId("acme"), "Authorization", "Bearer " + ACME_KEY));
        assertThat(resolve("X-API-Key", GLOBEX_KEY))
                .isEqualTo(new TenantScope.Scoped(new TenantId("globex"), "X-API-Key", GLOBEX_KEY));
        assertThat(resolve("Authorization", "bearer " + ACME_KEY, "X-Scope-OrgID", "acme"))
                .isInstanceOf(TenantScope.Scoped.class);
    }

    @Test
    void aTenantKeyCannotNameAnotherTenant() {
        assertThat(resolve("Authorization", "Bearer " + ACME_KEY, "X-Scope-OrgID", "globex"))
                .isEqualTo(new TenantScope.Refused(401,
                        "invalid credential: this API key may not read the tenant named in X-Scope-OrgID"));
    }

    @Test
    void anOperatorKeyNamesTheTenant() {
        assertThat(resolve("Authorization", "Bearer " + OPERATOR_KEY, "X-Scope-OrgID", "globex"))
                .extracting(r -> ((TenantScope.Scoped) r).tenant()).isEqualTo(new TenantId("globex"));
        assertThat(resolve("Authorization", "Bearer " + OPERATOR_KEY)).isInstanceOfSatisfying(TenantScope.Refused.class,
                r -> assertThat(r.status()).isEqualTo(400));
        assertThat(resolve("Authorization", "Bearer " + OPERATOR_KEY, "X-Scope-OrgID", "a.b"))
                .isInstanceOf(TenantScope.Refused.class);
    }

    @Test
    void missingOrUnknownCredentialsAre401() {
        assertThat(resolve()).isEqualTo(new TenantScope.Refused(401,
                "missing credential: send 'Authorization: Bearer <API key>' or 'X-API-Key: <API key>'"));
        assertThat(resolve("Authorization", "Bearer nope-nope-nope")).isEqualTo(
                new TenantScope.Refused(401, "invalid credential: the API key is not known"));
        assertThat(resolve("Authorization", "Basic " + ACME_KEY)).isInstanceOfSatisfying(TenantScope.Refused.class,
                r -> assertThat(r.status()).isEqualTo(401));
        assertThat(resolve("X-Scope-OrgID", "acme")).isInstanceOf(TenantScope.Refused.class);
    }
}
