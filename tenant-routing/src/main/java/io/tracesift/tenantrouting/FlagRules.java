package io.tracesift.tenantrouting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracesift.config.ConfigSection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-service rollout flag {@value #FLAG}, as read from the compacted {@code tracesift-flags} topic.
 *
 * <p>Record keys: {@code service}, {@code tenant/service}, or a glob over the service name ({@code core-api-*},
 * {@code acme/core-api-*}; {@code *} is any run of characters, {@code ?} one character). Everything after the
 * first '/' is the service, so a tenant-scoped key is the only way to name a service containing '/'. Record values:
 * {@code {"enable-observability-instrumentation": true}} or the plain text {@code true} / {@code false}; a null value
 * (tombstone) removes the key.
 *
 * <p>The most specific key wins: exact {@code tenant/service}, then exact {@code service}, then the longest
 * tenant-scoped glob, then the longest glob (ties: the alphabetically first pattern); a service no key matches
 * gets the configured default. A record that does not parse is ignored with a warning and changes nothing.
 * Immutable: {@link #apply} returns new rules, so the hot path reads a consistent snapshot without locks.
 */
public final class FlagRules {
    public static final String FLAG = "enable-observability-instrumentation";
    static final int MAX_KEY_LENGTH = 512;
    /** Bounds the backtracking a glob can cause on the hot path. */
    static final int MAX_WILDCARDS = 8;

    private static final Logger LOG = LoggerFactory.getLogger(FlagRules.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("default-enabled", "topic");
    private static final Comparator<Glob> MOST_SPECIFIC_FIRST =
            Comparator.comparingInt((Glob glob) -> glob.pattern.length()).reversed().thenComparing(glob -> glob.pattern);

    private final boolean defaultEnabled;
    private final String topic;
    private final Map<String, Boolean> entries;
    private final Map<String, Boolean> exact;
    private final List<Glob> tenantGlobs;
    private final List<Glob> globs;

    private record Glob(String tenant, String pattern, Pattern regex, boolean enabled) {}

    /** The outcome of applying one flag record: the new rules, and why the record was ignored if it was. */
    public record Update(FlagRules rules, Optional<String> ignoredBecause) {}

    private FlagRules(boolean defaultEnabled, String topic, Map<String, Boolean> entries) {
        this.defaultEnabled = defaultEnabled;
        this.topic = topic;
        this.entries = Map.copyOf(entries);
        Map<String, Boolean> exact = new HashMap<>();
        List<Glob> tenantGlobs = new ArrayList<>();
        List<Glob> globs = new ArrayList<>();
        entries.forEach((key, enabled) -> {
            int slash = key.indexOf('/');
            String tenant = slash < 0 ? null : key.substring(0, slash);
            String service = key.substring(slash + 1);
            if (!isGlob(service)) {
                exact.put(key, enabled);
            } else {
                (tenant == null ? globs : tenantGlobs).add(new Glob(tenant, service, globRegex(service), enabled));
            }
        });
        tenantGlobs.sort(MOST_SPECIFIC_FIRST);
        globs.sort(MOST_SPECIFIC_FIRST);
        this.exact = Map.copyOf(exact);
        this.tenantGlobs = List.copyOf(tenantGlobs);
        this.globs = List.copyOf(globs);
    }

    public static FlagRules of(boolean defaultEnabled) {
        return new FlagRules(defaultEnabled, TopicNames.FLAGS, Map.of());
    }

    /** Built from the {@code flags:} YAML section: {@code default-enabled} (default true), {@code topic}. */
    public static FlagRules fromConfig(Map<String, Object> section, List<String> problems) {
        int before = problems.size();
        ConfigSection config = ConfigSection.of("flags", section, problems);
        config.rejectUnknownKeys(KEYS);
        boolean defaultEnabled = config.bool("default-enabled", true);
        String topic = config.text("topic", TopicNames.FLAGS);
        return problems.size() > before ? null : new FlagRules(defaultEnabled, topic, Map.of());
    }

    /** The compacted topic the flags are read from (default {@code tracesift-flags}). */
    public String topic() {
        return topic;
    }

    public boolean defaultEnabled() {
        return defaultEnabled;
    }

    /** Every key currently set, sorted, with its value: what {@code tracesift flags list} shows. */
    public Map<String, Boolean> entries() {
        return new TreeMap<>(entries);
    }

    /** Applies one record of the flags topic; a key or value that does not parse changes nothing. */
    public Update apply(String key, byte[] value) {
        Optional<String> keyProblem = keyProblem(key);
        if (keyProblem.isPresent()) {
            return ignored(keyProblem.get());
        }
        Map<String, Boolean> next = new HashMap<>(entries);
        if (value == null) {
            next.remove(key);
        } else {
            Optional<Boolean> enabled = parseValue(value);
            if (enabled.isEmpty()) {
                return ignored("value for key " + UntrustedText.preview(key) + " is neither true, false nor {\"" + FLAG
                        + "\": true|false}");
            }
            next.put(key, enabled.get());
        }
        return new Update(new FlagRules(defaultEnabled, topic, next), Optional.empty());
    }

    private Update ignored(String reason) {
        LOG.warn("Ignoring {} record: {}", topic, reason);
        return new Update(this, Optional.of(reason));
    }

    /**
     * Whether spans of {@code service} in {@code tenant} are let in.
     *
     * @param tenant  null when the tenant is not known (only tenant-less keys then apply)
     * @param service null when the spans name no service; then only globs such as {@code *} can match
     */
    public boolean enabled(TenantId tenant, String service) {
        if (service == null) {
            service = "";
        }
        if (tenant != null) {
            Boolean value = exact.get(tenant.value() + "/" + service);
            if (value != null) {
                return value;
            }
        }
        Boolean value = exact.get(service);
        if (value != null) {
            return value;
        }
        if (tenant != null) {
            for (Glob glob : tenantGlobs) {
                if (glob.tenant.equals(tenant.value()) && glob.regex.matcher(service).matches()) {
                    return glob.enabled;
                }
            }
        }
        for (Glob glob : globs) {
            if (glob.regex.matcher(service).matches()) {
                return glob.enabled;
            }
        }
        return defaultEnabled;
    }

    /** Why {@code key} cannot be a flag key, or empty when it can; for the CLI to check before writing. */
    public static Optional<String> keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("key is empty; use service, tenant/service or a glob such as core-api-*");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return Optional.of("key is longer than " + MAX_KEY_LENGTH + " characters");
        }
        if (key.chars().filter(c -> c == '*' || c == '?').count() > MAX_WILDCARDS) {
            return Optional.of("key " + UntrustedText.preview(key) + " has more than " + MAX_WILDCARDS + " wildcards");
        }
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String tenant = key.substring(0, slash);
            if (!TenantId.isValid(tenant)) {
                return Optional.of("key " + UntrustedText.preview(key) + " has tenant part " + UntrustedText.preview(tenant)
                        + " which is not a valid tenant id; " + TenantId.RULE);
            }
            if (slash == key.length() - 1) {
                return Optional.of("key " + UntrustedText.preview(key) + " has no service after the tenant");
            }
        }
        return Optional.empty();
    }

    /** The value {@code tracesift flags set} writes. */
    public static byte[] encodeValue(boolean enabled) {
        return ("{\"" + FLAG + "\":" + enabled + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a record value; empty when it is neither JSON with the flag as a boolean nor plain true/false. */
    public static Optional<Boolean> parseValue(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8).strip();
        if (text.equalsIgnoreCase("true")) {
            return Optional.of(true);
        }
        if (text.equalsIgnoreCase("false")) {
            return Optional.of(false);
        }
        if (!text.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode flag = JSON.readTree(text).get(FLAG);
            return flag != null && flag.isBoolean() ? Optional.of(flag.booleanValue()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean isGlob(String service) {
        return service.indexOf('*') >= 0 || service.indexOf('?') >= 0;
    }

    private static Pattern globRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
