package io.tracesift.sampling;

import io.tracesift.config.ClosestName;
import io.tracesift.config.ConfigSection;
import io.tracesift.sampling.PolicyConfig.AlwaysConfig;
import io.tracesift.sampling.PolicyConfig.AndConfig;
import io.tracesift.sampling.PolicyConfig.AttributeConfig;
import io.tracesift.sampling.PolicyConfig.ErrorConfig;
import io.tracesift.sampling.PolicyConfig.FirstMatchConfig;
import io.tracesift.sampling.PolicyConfig.LatencyConfig;
import io.tracesift.sampling.PolicyConfig.NotConfig;
import io.tracesift.sampling.PolicyConfig.ProbabilisticConfig;
import io.tracesift.sampling.PolicyConfig.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The one place that maps configuration to policies: YAML mappings to {@link PolicyConfig} records
 * ({@link #parse}) and records to {@link SamplingPolicy}s ({@link #build}), each an exhaustive switch
 * over {@link Type}, so a new type does not compile until both sides handle it.
 */
public final class PolicyFactory {
    /** Reasons become metric labels and span attributes: short, lowercase, no spaces. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,63}");
    private static final String ELEMENT_HINT = "write each policy as a mapping such as {type: error}";

    private PolicyFactory() {
    }

    /** Parses a list of policies; null (with problems) when any is invalid. */
    static List<PolicyConfig> parseList(ConfigSection owner, String key) {
        int before = owner.problemCount();
        List<ConfigSection> sections = owner.list(key, ELEMENT_HINT);
        if (owner.problemCount() == before && sections.isEmpty()) {
            owner.problem(key, "the list is empty; give at least one policy");
        }
        List<PolicyConfig> policies = new ArrayList<>();
        for (ConfigSection section : sections) {
            policies.add(parse(section));
        }
        return owner.problemCount() == before ? policies : null;
    }

    /** Parses one policy mapping; null (with problems) when it is invalid. */
    static PolicyConfig parse(ConfigSection section) {
        Object typeName = section.raw("type");
        if (typeName == null) {
            section.problem("type", "missing; valid: " + String.join(", ", Type.yamlNames()));
            return null;
        }
        Type type = Type.fromYaml(String.valueOf(typeName));
        if (type == null) {
            section.problem("type", "unknown type " + ConfigSection.show(typeName)
                    + ClosestName.didYouMean(String.valueOf(typeName), Type.yamlNames())
                    + " valid: " + String.join(", ", Type.yamlNames()));
            return null;
        }
        int before = section.problemCount();
        section.rejectUnknownKeys(type.keys(), "keys for type " + type.yamlName());
        PolicyConfig config = switch (type) {
            case ERROR -> new ErrorConfig(name(section, ErrorPolicy.REASON));
            case LATENCY -> new LatencyConfig(name(section, LatencyPolicy.REASON),
                    section.positiveDuration("threshold", LatencyPolicy.DEFAULT_THRESHOLD), overrides(section));
            case PROBABILISTIC -> {
                double p = section.probability("probability", ProbabilisticPolicy.DEFAULT_PROBABILITY);
                yield new ProbabilisticConfig(name(section, ProbabilisticPolicy.REASON), p);
            }
            case ATTRIBUTE -> new AttributeConfig(name(section, AttributePolicy.REASON),
                    required(section, "key", "give the attribute key to match, like 'http.route'")
                            ? section.text("key", null) : null,
                    match(section), action(section));
            case AND -> new AndConfig(name(section, AndPolicy.REASON), members(section));
            case NOT -> new NotConfig(name(section, NotPolicy.REASON), inner(section), action(section));
            case FIRST_MATCH -> new FirstMatchConfig(members(section));
            case ALWAYS_KEEP -> new AlwaysConfig(name(section, AlwaysPolicy.KEEP_REASON), Decision.Verdict.KEEP);
            case ALWAYS_DROP -> new AlwaysConfig(name(section, AlwaysPolicy.DROP_REASON), Decision.Verdict.DROP);
        };
        return section.problemCount() == before ? config : null;
    }

    /** Builds the policy a record describes. */
    public static SamplingPolicy build(PolicyConfig config) {
        // Java 17 has no pattern switch; the enum switch is exhaustive and each type has exactly one record.
        return switch (config.type()) {
            case ERROR -> new ErrorPolicy(((ErrorConfig) config).name());
            case LATENCY -> {
                LatencyConfig c = (LatencyConfig) config;
                yield new LatencyPolicy(c.threshold(), c.overrides(), c.name());
            }
            case PROBABILISTIC -> {
                ProbabilisticConfig c = (ProbabilisticConfig) config;
                yield new ProbabilisticPolicy(c.probability(), c.name());
            }
            case ATTRIBUTE -> {
                AttributeConfig c = (AttributeConfig) config;
                yield new AttributePolicy(c.key(), c.match(), c.action(), c.name());
            }
            case AND -> {
                AndConfig c = (AndConfig) config;
                yield new AndPolicy(buildAll(c.policies()), c.name());
            }
            case NOT -> {
                NotConfig c = (NotConfig) config;
                yield new NotPolicy(build(c.policy()), c.action(), c.name());
            }
            case FIRST_MATCH -> new FirstMatchPolicy(buildAll(((FirstMatchConfig) config).policies()));
            case ALWAYS_KEEP, ALWAYS_DROP -> {
                AlwaysConfig c = (AlwaysConfig) config;
                yield new AlwaysPolicy(c.action(), c.name());
            }
        };
    }

    /** Builds a chain evaluated first-match. */
    public static SamplingPolicy chain(List<PolicyConfig> configs) {
        return new FirstMatchPolicy(buildAll(configs));
    }

    private static List<SamplingPolicy> buildAll(List<PolicyConfig> configs) {
        return configs.stream().map(PolicyFactory::build).toList();
    }

    private static String name(ConfigSection section, String fallback) {
        String name = section.text("name", fallback);
        if (name != null && !NAME.matcher(name).matches()) {
            section.problem("name", ConfigSection.show(name)
                    + " is not a usable reason; use up to 64 lowercase letters, digits and . _ / -, like 'checkout-errors'");
            return null;
        }
        return name;
    }

    private static boolean required(ConfigSection section, String key, String hint) {
        if (section.has(key)) {
            return true;
        }
        section.problem(key, "missing; " + hint);
        return false;
    }

    /** The member list of a composite; an empty placeholder (with problems) when invalid. */
    private static List<PolicyConfig> members(ConfigSection section) {
        if (!required(section, "policies", "list the member policies")) {
            return List.of();
        }
        List<PolicyConfig> members = parseList(section, "policies");
        return members == null ? List.of() : members;
    }

    /** The negated policy of a {@code not}; null (with problems) when invalid. */
    private static PolicyConfig inner(ConfigSection section) {
        if (!required(section, "policy", "give the policy to negate as a mapping, like {type: error}")) {
            return null;
        }
        int before = section.problemCount();
        ConfigSection inner = section.section("policy");
        return section.problemCount() == before ? parse(inner) : null;
    }

    /** {@code keep} (the default) or {@code drop}. */
    private static Decision.Verdict action(ConfigSection section) {
        String action = section.choice("action", List.of("keep", "drop"), "keep");
        return action.equals("drop") ? Decision.Verdict.DROP : Decision.Verdict.KEEP;
    }

    private static List<LatencyPolicy.ThresholdOverride> overrides(ConfigSection section) {
        List<LatencyPolicy.ThresholdOverride> overrides = new ArrayList<>();
        List<ConfigSection> entries = section.list("overrides", "write each override as {service: S, operation: O, threshold: 1s}");
        for (ConfigSection entry : entries) {
            int before = entry.problemCount();
            entry.rejectUnknownKeys(List.of("service", "operation", "threshold"), "keys for a latency override");
            String service = entry.text("service", null);
            String operation = entry.text("operation", null);
            Duration threshold = required(entry, "threshold", "give a duration like '500ms' or '5s'")
                    ? entry.positiveDuration("threshold", null) : null;
            if (!entry.has("service") && !entry.has("operation")) {
                entry.problem("name a service, an operation (span name) or both");
            }
            if (entry.problemCount() == before) {
                overrides.add(new LatencyPolicy.ThresholdOverride(service, operation, threshold));
            }
        }
        return overrides;
    }

    private static AttributePolicy.Match match(ConfigSection section) {
        List<String> given = new ArrayList<>();
        for (String candidate : List.of("equals", "regex", "range")) {
            if (section.has(candidate)) {
                given.add(candidate);
            }
        }
        if (given.size() != 1) {
            section.problem(given.isEmpty() ? "an attribute policy needs one of equals, regex or range"
                    : "an attribute policy takes only one of equals, regex or range; found " + String.join(", ", given));
            return null;
        }
        return switch (given.get(0)) {
            case "equals" -> equalTo(section);
            case "regex" -> regex(section);
            default -> range(section);
        };
    }

    private static AttributePolicy.Match equalTo(ConfigSection section) {
        Object raw = section.raw("equals");
        List<?> values = raw instanceof List<?> list ? list : List.of(raw);
        if (values.isEmpty()) {
            section.problem("equals", "the list is empty; give one value or a list of values");
            return null;
        }
        for (Object value : values) {
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                section.problem("equals", "expected text, numbers or booleans, found " + ConfigSection.show(value));
                return null;
            }
        }
        return AttributePolicy.EqualTo.of(values);
    }

    private static AttributePolicy.Match regex(ConfigSection section) {
        String regex = section.text("regex", null);
        if (regex == null) {
            return null;
        }
        try {
            return new AttributePolicy.Regex(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            section.problem("regex", "invalid regular expression " + ConfigSection.show(regex) + ": "
                    + e.getDescription() + " near index " + e.getIndex() + "; use Java regex syntax");
            return null;
        }
    }

    private static AttributePolicy.Match range(ConfigSection section) {
        int before = section.problemCount();
        ConfigSection range = section.section("range");
        if (section.problemCount() > before) {
            return null;
        }
        range.rejectUnknownKeys(List.of("min", "max"), "keys for a range");
        if (!range.has("min") && !range.has("max")) {
            range.problem("give min, max or both, like {min: 500, max: 599}");
            return null;
        }
        double min = range.number("min", Double.NEGATIVE_INFINITY);
        double max = range.number("max", Double.POSITIVE_INFINITY);
        if (section.problemCount() > before) {
            return null;
        }
        if (min > max) {
            range.problem("min " + min + " is greater than max " + max + "; swap them");
            return null;
        }
        return new AttributePolicy.Range(min, max);
    }
}
