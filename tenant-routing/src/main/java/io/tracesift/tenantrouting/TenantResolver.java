package io.tracesift.tenantrouting;

import static io.tracesift.tenantrouting.TenantResolution.INVALID_TENANT;
import static io.tracesift.tenantrouting.TenantResolution.MISSING_TENANT;
import static io.tracesift.tenantrouting.TenantResolution.TENANT_CONFLICT;

import io.tracesift.config.ConfigSection;
import io.tracesift.tenantrouting.TenantResolution.Rejected;
import io.tracesift.tenantrouting.TenantResolution.Resolved;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Establishes the tenant of one ResourceSpans group from the record header value and the resource
 * attributes (and, in topic mode, the input topic's name). Pure: no Kafka imports.
 *
 * <p>Precedence by {@link Source}:
 * <ul>
 *   <li>{@code header-or-attribute} (default): the header, else the resource attribute, else the default tenant.
 *       When both are present and name different tenants, {@link ConflictPolicy} decides.</li>
 *   <li>{@code header} / {@code attribute}: only that source, else the default tenant.</li>
 *   <li>{@code topic}: the input topic's name after the prefix ({@code otlp_spans.<tenant>}) is authoritative,
 *       because Kafka ACLs decide who may write to it; a header or attribute naming any other tenant is a
 *       {@code tenant-conflict}, whatever the conflict policy, so a producer cannot claim a foreign tenant.</li>
 * </ul>
 * A value that is present but not a valid {@link TenantId} (including the empty string) is rejected as
 * {@code invalid-tenant}; it is never trimmed, case-folded or replaced by the default tenant.
 */
public final class TenantResolver {

    /** Where the tenant comes from. */
    public enum Source { HEADER_OR_ATTRIBUTE, HEADER, ATTRIBUTE, TOPIC }

    /** What happens when header and resource attribute name different tenants. */
    public enum ConflictPolicy { REJECT, PREFER_HEADER, PREFER_ATTRIBUTE }

    public static final String DEFAULT_HEADER = "X-Scope-OrgID";
    public static final String DEFAULT_ATTRIBUTE = "tenant.id";
    public static final String DEFAULT_TOPIC_PREFIX = TopicNames.INPUT + ".";

    private static final List<String> KEYS = List.of(
            "source", "header", "resource-attribute", "topic-prefix", "on-conflict", "default-tenant",
            "admission", "topics");
    private static final Pattern TOPIC_NAME_CHARS = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final Source source;
    private final String headerName;
    private final String attributeKey;
    private final String topicPrefix;
    private final ConflictPolicy onConflict;
    private final TenantId defaultTenant;
    // Built once: resolve() runs per span group and must not concatenate strings when all is well.
    private final String headerOrigin;
    private final String attributeOrigin;
    private final String eitherOrigin;

    public TenantResolver(Source source, String headerName, String attributeKey, String topicPrefix,
                          ConflictPolicy onConflict, TenantId defaultTenant) {
        this.source = Objects.requireNonNull(source);
        this.headerName = Objects.requireNonNull(headerName);
        this.attributeKey = Objects.requireNonNull(attributeKey);
        this.topicPrefix = Objects.requireNonNull(topicPrefix);
        this.onConflict = Objects.requireNonNull(onConflict);
        this.defaultTenant = defaultTenant;
        this.headerOrigin = "header " + headerName;
        this.attributeOrigin = "resource attribute " + attributeKey;
        this.eitherOrigin = headerOrigin + " nor " + attributeOrigin;
    }

    /** Header {@code X-Scope-OrgID}, else resource attribute {@code tenant.id}; conflicts rejected; no default. */
    public static TenantResolver defaults() {
        return new TenantResolver(Source.HEADER_OR_ATTRIBUTE, DEFAULT_HEADER, DEFAULT_ATTRIBUTE,
                DEFAULT_TOPIC_PREFIX, ConflictPolicy.REJECT, null);
    }

    /** Built from the {@code tenancy:} YAML section; problems are appended as "tenancy.x: ..."; null on any. */
    public static TenantResolver fromConfig(Map<String, Object> section, List<String> problems) {
        int before = problems.size();
        ConfigSection config = ConfigSection.of("tenancy", section, problems);
        config.rejectUnknownKeys(KEYS);
        Source source = config.choice("source", Source.class, Source.HEADER_OR_ATTRIBUTE);
        String header = config.text("header", DEFAULT_HEADER);
        String attribute = config.text("resource-attribute", DEFAULT_ATTRIBUTE);
        String prefix = config.text("topic-prefix", DEFAULT_TOPIC_PREFIX);
        if (!TOPIC_NAME_CHARS.matcher(prefix).matches()) {
            config.problem("topic-prefix", "'" + prefix + "' is not valid; 1 to 200 characters of [A-Za-z0-9._-], e.g. "
                    + DEFAULT_TOPIC_PREFIX);
        }
        ConflictPolicy onConflict = config.choice("on-conflict", ConflictPolicy.class, ConflictPolicy.REJECT);
        String defaultValue = config.text("default-tenant", null);
        TenantId defaultTenant = null;
        if (defaultValue != null) {
            if (TenantId.isValid(defaultValue)) {
                defaultTenant = new TenantId(defaultValue);
            } else {
                config.problem("default-tenant", UntrustedText.preview(defaultValue) + " is not a valid tenant id; "
                        + TenantId.RULE);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new TenantResolver(source, header, attribute, prefix, onConflict, defaultTenant);
    }

    /** Name of the record header carrying the tenant (default {@code X-Scope-OrgID}). */
    public String headerName() {
        return headerName;
    }

    /** Key of the resource attribute carrying the tenant (default {@code tenant.id}). */
    public String resourceAttribute() {
        return attributeKey;
    }

    public Source source() {
        return source;
    }

    public Optional<TenantId> defaultTenant() {
        return Optional.ofNullable(defaultTenant);
    }

    /**
     * In topic mode, the pattern to subscribe with: every topic starting with the prefix. It deliberately
     * matches invalid tenant suffixes too, so that such records are rejected to the DLQ rather than ignored.
     */
    public Optional<Pattern> inputTopicPattern() {
        return source == Source.TOPIC ? Optional.of(Pattern.compile(Pattern.quote(topicPrefix) + ".+")) : Optional.empty();
    }

    /**
     * @param inputTopic     the topic the record came from
     * @param headerValue    the tenant header's value, null when absent
     * @param resourceAttribute looks up a string resource attribute of the group, null when absent
     */
    public TenantResolution resolve(String inputTopic, String headerValue, Function<String, String> resourceAttribute) {
        return switch (source) {
            case TOPIC -> fromTopic(inputTopic, headerValue, resourceAttribute.apply(attributeKey));
            case HEADER -> single(headerValue, headerOrigin);
            case ATTRIBUTE -> single(resourceAttribute.apply(attributeKey), attributeOrigin);
            case HEADER_OR_ATTRIBUTE -> fromHeaderOrAttribute(headerValue, resourceAttribute);
        };
    }

    private TenantResolution fromHeaderOrAttribute(String headerValue, Function<String, String> resourceAttribute) {
        switch (onConflict) {
            case PREFER_HEADER:
                if (headerValue != null) {
                    return single(headerValue, headerOrigin);
                }
                return single(resourceAttribute.apply(attributeKey), attributeOrigin);
            case PREFER_ATTRIBUTE:
                String preferred = resourceAttribute.apply(attributeKey);
                if (preferred != null) {
                    return single(preferred, attributeOrigin);
                }
                return single(headerValue, headerOrigin);
            default:
                String attributeValue = resourceAttribute.apply(attributeKey);
                if (headerValue != null && !TenantId.isValid(headerValue)) {
                    return invalid(headerValue, headerOrigin);
                }
                if (attributeValue != null && !TenantId.isValid(attributeValue)) {
                    return invalid(attributeValue, attributeOrigin);
                }
                if (headerValue != null && attributeValue != null && !headerValue.equals(attributeValue)) {
                    return new Rejected(TENANT_CONFLICT, "header " + headerName + " names " + UntrustedText.preview(headerValue)
                            + " but resource attribute " + attributeKey + " names " + UntrustedText.preview(attributeValue));
                }
                return single(headerValue != null ? headerValue : attributeValue, eitherOrigin);
        }
    }

    private TenantResolution fromTopic(String inputTopic, String headerValue, String attributeValue) {
        if (inputTopic == null || !inputTopic.startsWith(topicPrefix)) {
            return orDefault("input topic " + UntrustedText.preview(inputTopic) + " does not start with " + topicPrefix);
        }
        String claimed = inputTopic.substring(topicPrefix.length());
        if (!TenantId.isValid(claimed)) {
            return invalid(claimed, "input topic " + inputTopic);
        }
        if (headerValue != null && !headerValue.equals(claimed)) {
            return new Rejected(TENANT_CONFLICT, "input topic names " + UntrustedText.preview(claimed)
                    + " but header " + headerName + " names " + UntrustedText.preview(headerValue));
        }
        if (attributeValue != null && !attributeValue.equals(claimed)) {
            return new Rejected(TENANT_CONFLICT, "input topic names " + UntrustedText.preview(claimed)
                    + " but resource attribute " + attributeKey + " names " + UntrustedText.preview(attributeValue));
        }
        return new Resolved(new TenantId(claimed));
    }

    private TenantResolution single(String value, String origin) {
        if (value == null) {
            return orDefault("no " + origin);
        }
        if (!TenantId.isValid(value)) {
            return invalid(value, origin);
        }
        return new Resolved(new TenantId(value));
    }

    private TenantResolution orDefault(String why) {
        if (defaultTenant != null) {
            return new Resolved(defaultTenant);
        }
        return new Rejected(MISSING_TENANT, why + " and no default tenant is configured");
    }

    private static Rejected invalid(String value, String origin) {
        return new Rejected(INVALID_TENANT, origin + " value " + UntrustedText.preview(value) + " is not a valid tenant id");
    }
}
