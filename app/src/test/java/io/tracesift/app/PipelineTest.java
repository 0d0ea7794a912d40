package io.tracesift.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracesift.topology.TopologySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PipelineTest {

    @Test
    void startNeedsTheInputTopicExceptInTopicModeWhichReadsOtlpSpansTopicsByPattern() {
        List<String> problems = new ArrayList<>();
        TopologySettings header = TopologySettings.fromConfig(Map.of(), problems);
        TopologySettings topicMode = TopologySettings.fromConfig(Map.of("tenancy", Map.of("source", "topic")), problems);
        assertThat(problems).isEmpty();
        assertThat(Pipeline.requiredTopics(header))
                .containsExactly(Map.entry("topics.input", "otlp_spans"), Map.entry("topics.dlq", "tracesift-dlq"));
        assertThat(Pipeline.requiredTopics(topicMode)).containsExactly(Map.entry("topics.dlq", "tracesift-dlq"));
    }

    @Test
    void peersReachTheHttpPortOnLoopbackByDefault() {
        assertThat(Pipeline.advertised(Map.of(), 41234)).isEqualTo(new HostInfo("127.0.0.1", 41234));
    }

    @Test
    void aGivenApplicationServerWinsOverTheHttpPort() {
        assertThat(Pipeline.advertised(Map.of("application.server", "tracesift-0.tracesift:8080"), 41234))
                .isEqualTo(new HostInfo("tracesift-0.tracesift", 8080));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "no-port", "host:port"})
    void anApplicationServerThatIsNotHostAndPortIsRefused(String given) {
        assertThatThrownBy(() -> Pipeline.advertised(Map.of("application.server", given), 8080))
                .isInstanceOf(ConfigException.class);
    }
}
