package io.tracesift.topology;

import io.tracesift.tenantrouting.FlagRules;
import io.tracesift.tenantrouting.TenantAdmission;
import io.tracesift.tenantrouting.TenantTopicSpec;

import java.util.List;
import java.util.Map;

/**
 * The tenancy parts beyond tenant resolution, validated at startup: {@code tenancy.admission},
 * {@code tenancy.topics} and the {@code flags:} section.
 *
 * @param admission  auto-provisioning with a cap, or registry-only tenants
 * @param topics     how {@code traces.<tenant>} and the compacted control topics are created
 * @param flags      the rollout flag defaults and topic (the live rules come from {@link TenantDirectory})
 */
public record TenancySettings(TenantAdmission admission, TenantTopicSpec topics, FlagRules flags) {

    /** Appends every problem and returns null if there was any. */
    static TenancySettings fromConfig(Map<String, Object> tenancy, Map<String, Object> flags, List<String> problems) {
        int before = problems.size();
        TenantAdmission admission = TenantAdmission.fromConfig(tenancy, problems);
        TenantTopicSpec topics = TenantTopicSpec.fromConfig(tenancy, problems);
        FlagRules rules = FlagRules.fromConfig(flags, problems);
        return problems.size() > before ? null : new TenancySettings(admission, topics, rules);
    }

    /** The compacted topics the pipeline reads as global tables; they must exist before it starts. */
    public List<String> controlTopics() {
        return List.of(flags.topic(), admission.registryTopic());
    }
}
