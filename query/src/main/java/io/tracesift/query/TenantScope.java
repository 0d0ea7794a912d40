package io.tracesift.query;

import io.tracesift.tenantrouting.TenantId;

import java.util.Optional;

/**
 * Resolves the tenant of a request from its credential: {@code Authorization: Bearer <key>} or
 * {@code X-API-Key: <key>}. A tenant key reads only its tenant ({@code X-Scope-OrgID}, if sent, must name the
 * same tenant); an operator key must name the tenant with {@code X-Scope-OrgID}. Refusals say nothing about
 * any trace.
 */
public final class TenantScope {
    public static final String ORG_HEADER = "X-Scope-OrgID";
    public static final String API_KEY_HEADER = "X-API-Key";
    public static final String AUTHORIZATION = "Authorization";

    /** The outcome: a tenant, or a refusal with its HTTP status (401 or 400) and message. */
    public sealed interface Result permits Scoped, Refused {
    }

    /** @param credentialHeader the header that carried the key, and its value, for forwarding to peers */
    public record Scoped(TenantId tenant, String credentialHeader, String credentialValue) implements Result {
    }

    public record Refused(int status, String message) implements Result {
    }

    /** Request headers as the scope needs them (first value of a header, or null). */
    @FunctionalInterface
    public interface Headers {
        String first(String name);
    }

    private final ApiKeys keys;

    public TenantScope(ApiKeys keys) {
        this.keys = keys;
    }

    public Result resolve(Headers headers) {
        String authorization = headers.first(AUTHORIZATION);
        String apiKey = headers.first(API_KEY_HEADER);
        String header;
        String key;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            header = AUTHORIZATION;
            key = authorization.substring(7).trim();
        } else if (apiKey != null) {
            header = API_KEY_HEADER;
            key = apiKey.trim();
        } else {
            return new Refused(401, "missing credential: send 'Authorization: Bearer <API key>' or 'X-API-Key: <API key>'");
        }
        Optional<ApiKeys.Grant> grant = keys.grant(key);
        if (grant.isEmpty()) {
            return new Refused(401, "invalid credential: the API key is not known");
        }
        String named = headers.first(ORG_HEADER);
        String value = header.equals(AUTHORIZATION) ? authorization : apiKey;
        if (grant.get().operator()) {
            if (named == null || !TenantId.isValid(named.trim())) {
                return new Refused(400, "an operator key must name the tenant in " + ORG_HEADER + ": "
                        + TenantId.RULE);
            }
            return new Scoped(new TenantId(named.trim()), header, value);
        }
        TenantId own = grant.get().tenant().orElseThrow();
        if (named != null && !named.trim().equals(own.value())) {
            return new Refused(401, "invalid credential: this API key may not read the tenant named in " + ORG_HEADER);
        }
        return new Scoped(own, header, value);
    }
}
