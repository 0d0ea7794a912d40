package io.tracesift.query;

import io.tracesift.config.ConfigSection;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code query:} section, parsed and validated once at startup.
 * <pre>
 * query:
 *   retention: 24h            # how long kept traces stay queryable (counted from their arrival here)
 *   expiry-interval: 1m       # how often expired traces are removed (wall clock)
 *   expiry-batch: 10000       # at most this many traces removed per task and run
 *   max-limit: 1500           # largest accepted `limit` on /api/traces
 *   timeout: 30s              # per-request deadline across instances
 *   api-keys:                 # API key -> tenant id, or "*" for an operator key (X-Scope-OrgID names the tenant)
 *     "k-7f3c...": acme
 *   api-keys-file: /etc/tracesift/api-keys.properties   # key=tenant lines; merged with api-keys
 * </pre>
 *
 * @param retention      how long a kept trace stays in the query stores after it first arrived
 * @param expiryInterval wall-clock period of the expiry punctuator
 * @param expiryBatch    most traces one task expires per punctuation (the rest wait for the next run)
 * @param maxLimit       the documented maximum of the {@code limit} parameter
 * @param timeout        deadline of one request, including fan-out to other instances
 */
public record QuerySettings(Duration retention, Duration expiryInterval, int expiryBatch, int maxLimit,
                            Duration timeout, ApiKeys apiKeys) {
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);
    public static final int DEFAULT_MAX_LIMIT = 1500;
    private static final List<String> KEYS = List.of("retention", "expiry-interval", "expiry-batch", "max-limit",
            "timeout", "api-keys", "api-keys-file");

    /** Defaults with the given keys: 24 h retention, 1 min expiry runs, limit up to 1500, 30 s deadline. */
    public static QuerySettings defaults(ApiKeys apiKeys) {
        return new QuerySettings(DEFAULT_RETENTION, Duration.ofMinutes(1), 10_000, DEFAULT_MAX_LIMIT,
                Duration.ofSeconds(30), apiKeys);
    }

    /**
     * @param section  the {@code query:} mapping (null for all defaults, which include no API key: every
     *                 request is then 401 until keys are configured)
     * @param problems every problem is appended as "query.key: what is wrong; what is valid"
     * @return the settings, or null when a problem was found
     */
    public static QuerySettings fromConfig(Map<String, Object> section, List<String> problems) {
        int before = problems.size();
        ConfigSection c = ConfigSection.of("query", section, problems);
        c.rejectUnknownKeys(KEYS);
        QuerySettings d = defaults(null);
        Duration retention = c.positiveDuration("retention", d.retention());
        Duration interval = c.positiveDuration("expiry-interval", d.expiryInterval());
        int batch = c.integer("expiry-batch", d.expiryBatch(), 1, 1_000_000);
        int maxLimit = c.integer("max-limit", d.maxLimit(), 1, 100_000);
        Duration timeout = c.positiveDuration("timeout", d.timeout());
        ApiKeys keys = ApiKeys.fromConfig(c);
        return problems.size() > before ? null
                : new QuerySettings(retention, interval, batch, maxLimit, timeout, keys);
    }
}
