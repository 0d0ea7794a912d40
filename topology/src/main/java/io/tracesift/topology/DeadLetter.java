package io.tracesift.topology;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Headers on {@code tracesift-dlq} records, and the reason codes of span validation. Decoding failures use
 * {@link io.tracesift.serdes.OtlpDecodeException#reason()}, tenant failures {@link io.tracesift.tenantrouting.TenantResolution}'s codes.
 */
public final class DeadLetter {
    public static final String REASON = "tracesift.dlq.reason";
    public static final String DETAIL = "tracesift.dlq.detail";
    public static final String SOURCE_TOPIC = "tracesift.dlq.topic";
    public static final String SOURCE_PARTITION = "tracesift.dlq.partition";
    public static final String SOURCE_OFFSET = "tracesift.dlq.offset";

    public static final String INVALID_TRACE_ID = "invalid-trace-id";
    public static final String INVALID_SPAN_ID = "invalid-span-id";
    public static final String INVALID_PARENT_SPAN_ID = "invalid-parent-span-id";
    public static final String INVALID_TIMESTAMP = "invalid-timestamp";
    public static final String SPAN_TOO_LARGE = "span-too-large";

    private DeadLetter() {}

    /** The source record's headers plus the reason and where the record came from. */
    static Headers headers(Headers original, String reason, String detail, Optional<RecordMetadata> source) {
        RecordHeaders headers = new RecordHeaders(original.toArray());
        headers.add(REASON, utf8(reason));
        headers.add(DETAIL, utf8(detail == null ? "" : detail));
        source.ifPresent(m -> {
            headers.add(SOURCE_TOPIC, utf8(m.topic()));
            headers.add(SOURCE_PARTITION, utf8(Integer.toString(m.partition())));
            headers.add(SOURCE_OFFSET, utf8(Long.toString(m.offset())));
        });
        return headers;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
