package io.tracesift.sampling;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * One policy of the {@code sampling:} section, parsed and validated: plain data, one record per
 * {@link Type}. {@link PolicyFactory} turns YAML into these and these into {@link SamplingPolicy}s.
 * {@code name} is the decision reason the policy gives.
 */
public sealed interface PolicyConfig {

    /** The YAML {@code type:} values and the keys each accepts. */
    enum Type {
        ERROR("error", "name"),
        LATENCY("latency", "name", "threshold", "overrides"),
        PROBABILISTIC("probabilistic", "name", "probability"),
        ATTRIBUTE("attribute", "name", "key", "equals", "regex", "range", "action"),
        AND("and", "name", "policies"),
        NOT("not", "name", "policy", "action"),
        FIRST_MATCH("first-match", "policies"),
        ALWAYS_KEEP("always-keep", "name"),
        ALWAYS_DROP("always-drop", "name");

        private final String yamlName;
        private final List<String> keys;

        Type(String yamlName, String... ownKeys) {
            this.yamlName = yamlName;
            this.keys = Stream.concat(Stream.of("type"), Stream.of(ownKeys)).toList();
        }

        public String yamlName() {
            return yamlName;
        }

        /** Every key a policy of this type accepts. */
        public List<String> keys() {
            return keys;
        }

        /** The type with this YAML name, or null. */
        public static Type fromYaml(String name) {
            for (Type type : values()) {
                if (type.yamlName.equals(name)) {
                    return type;
                }
            }
            return null;
        }

        public static List<String> yamlNames() {
            return Arrays.stream(values()).map(Type::yamlName).toList();
        }
    }

    Type type();

    record ErrorConfig(String name) implements PolicyConfig {
        public Type type() {
            return Type.ERROR;
        }
    }

    record LatencyConfig(String name, Duration threshold, List<LatencyPolicy.ThresholdOverride> overrides)
            implements PolicyConfig {
        public LatencyConfig {
            overrides = List.copyOf(overrides);
        }

        public Type type() {
            return Type.LATENCY;
        }
    }

    record ProbabilisticConfig(String name, double probability) implements PolicyConfig {
        public Type type() {
            return Type.PROBABILISTIC;
        }
    }

    record AttributeConfig(String name, String key, AttributePolicy.Match match, Decision.Verdict action)
            implements PolicyConfig {
        public Type type() {
            return Type.ATTRIBUTE;
        }
    }

    record AndConfig(String name, List<PolicyConfig> policies) implements PolicyConfig {
        public AndConfig {
            policies = List.copyOf(policies);
        }

        public Type type() {
            return Type.AND;
        }
    }

    record NotConfig(String name, PolicyConfig policy, Decision.Verdict action) implements PolicyConfig {
        public Type type() {
            return Type.NOT;
        }
    }

    /** Passes its first matching member's decision through unchanged, so it has no name of its own. */
    record FirstMatchConfig(List<PolicyConfig> policies) implements PolicyConfig {
        public FirstMatchConfig {
            policies = List.copyOf(policies);
        }

        public Type type() {
            return Type.FIRST_MATCH;
        }
    }

    record AlwaysConfig(String name, Decision.Verdict action) implements PolicyConfig {
        public Type type() {
            return action == Decision.Verdict.KEEP ? Type.ALWAYS_KEEP : Type.ALWAYS_DROP;
        }
    }
}
