package io.tracesift.topology;

import io.tracesift.tenantrouting.TenantId;
import io.tracesift.tenantrouting.TopicNames;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

import java.nio.charset.StandardCharsets;

/** Key of an emitted record: the tenant picks the topic, and only the 32-hex trace id is written as the key. */
record OutputKey(TenantId tenant, String traceIdHex) {
    static final Serializer<OutputKey> SERIALIZER =
            (topic, key) -> key.traceIdHex().getBytes(StandardCharsets.UTF_8);

    static final TopicNameExtractor<OutputKey, byte[]> TOPIC =
            (OutputKey key, byte[] value, RecordContext context) -> TopicNames.output(key.tenant());
}
