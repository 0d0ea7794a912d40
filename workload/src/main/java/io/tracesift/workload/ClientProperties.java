package io.tracesift.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * The part of the {@code kafka:} pass-through properties one kind of Kafka client knows, so that it does not warn
 * about the others' settings. Config provider settings ({@code config.providers.<name>.class}, {@code .param.*}) are
 * kept as well although no client lists them: without them a {@code ${provider:...}} value such as a SASL password
 * read from a mounted file would not resolve.
 */
final class ClientProperties {
    private static final String PROVIDER_PREFIX = AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".";

    private ClientProperties() {}

    /** @param configNames the client's own names, e.g. {@code ProducerConfig.configNames()} */
    static Map<String, Object> knownTo(Set<String> configNames, Map<String, ?> all) {
        Map<String, Object> known = new HashMap<>();
        all.forEach((name, value) -> {
            if (configNames.contains(name) || name.startsWith(PROVIDER_PREFIX)) {
                known.put(name, value);
            }
        });
        return known;
    }
}
