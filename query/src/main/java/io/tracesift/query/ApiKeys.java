package io.tracesift.query;

import io.tracesift.config.ConfigSection;
import io.tracesift.tenantrouting.TenantId;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * API keys from configuration: each key belongs to exactly one tenant, or is an operator key ("*") that may
 * name any tenant per request. Only SHA-256 digests are held, so a key is never compared byte by byte
 * (no timing hint) and never sits in memory after startup.
 */
public final class ApiKeys {
    /** The tenant value that marks an operator key. */
    public static final String OPERATOR = "*";

    /** A key's grant: one tenant, or operator (tenant empty). */
    public record Grant(Optional<TenantId> tenant) {
        public boolean operator() {
            return tenant.isEmpty();
        }
    }

    private final Map<String, Grant> grantsByDigest;

    private ApiKeys(Map<String, Grant> grantsByDigest) {
        this.grantsByDigest = Map.copyOf(grantsByDigest);
    }

    /** For tests and embedding: key → tenant id or "*". Invalid tenants throw. */
    public static ApiKeys of(Map<String, String> keyToTenant) {
        List<String> problems = new ArrayList<>();
        ApiKeys keys = parse(keyToTenant, problem -> problems.add("api-keys: " + problem));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return keys;
    }

    /**
     * Reads {@code query.api-keys} (a mapping key → tenant or "*") and {@code query.api-keys-file} (a file of
     * {@code key=tenant} lines in Java properties syntax, e.g. a mounted Kubernetes secret); both may be given.
     */
    static ApiKeys fromConfig(ConfigSection section) {
        Map<String, String> all = new HashMap<>();
        Object inline = section.raw("api-keys");
        if (inline instanceof Map<?, ?> map) {
            map.forEach((k, v) -> all.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (inline != null) {
            section.problem("api-keys", "must be a mapping of API key to tenant id (or \"*\" for an "
                    + "operator key)");
        }
        String file = section.text("api-keys-file", null);
        if (file != null) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                props.load(reader);
                props.forEach((k, v) -> all.put(String.valueOf(k), String.valueOf(v).trim()));
            } catch (IOException | RuntimeException e) {
                section.problem("api-keys-file", "cannot read '" + file + "' (" + e.getMessage()
                        + "); must be a readable file of key=tenant lines");
            }
        }
        return parse(all, problem -> section.problem("api-keys", problem));
    }

    /** @param problem takes each problem, "entry N ...", to be prefixed with where the keys came from */
    private static ApiKeys parse(Map<String, String> keyToTenant, Consumer<String> problem) {
        Map<String, Grant> grants = new HashMap<>();
        int line = 0;
        for (Map.Entry<String, String> e : keyToTenant.entrySet()) {
            line++;
            String key = e.getKey();
            String tenant = e.getValue().trim();
            if (key.length() < 8) {
                problem.accept("entry " + line + " has a key shorter than 8 characters; use long random keys");
            } else if (OPERATOR.equals(tenant)) {
                grants.put(digest(key), new Grant(Optional.empty()));
            } else if (TenantId.isValid(tenant)) {
                grants.put(digest(key), new Grant(Optional.of(new TenantId(tenant))));
            } else {
                problem.accept("entry " + line + " names an invalid tenant; a tenant id is " + TenantId.RULE
                        + ", or \"*\" for an operator key");
            }
        }
        return new ApiKeys(grants);
    }

    /** The grant of a presented key, empty for an unknown key. */
    public Optional<Grant> grant(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(grantsByDigest.get(digest(presentedKey)));
    }

    public boolean isEmpty() {
        return grantsByDigest.isEmpty();
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
