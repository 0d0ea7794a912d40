package io.tracesift.kafkalocal.prometheus;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScrapeConfigTest {
    @Test
    void scrapesEverySecondAndNothingRemote() {
        String yaml = ScrapeConfig.render(List.of(
                ScrapeJob.of("app", "/metrics", List.of("127.0.0.1:8080", "127.0.0.1:8081")),
                ScrapeJob.of("acme", "/metrics/tenant/acme", List.of("localhost:9000"))));
        assertThat(yaml).contains("scrape_interval: 1s", "evaluation_interval: 1s")
                .contains("  - job_name: \"app\"\n    metrics_path: \"/metrics\"\n    static_configs:\n"
                        + "      - targets: [\"127.0.0.1:8080\", \"127.0.0.1:8081\"]\n")
                .contains("metrics_path: \"/metrics/tenant/acme\"")
                .doesNotContain("remote");
        assertThat(ScrapeConfig.render(List.of())).endsWith("scrape_configs: []\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "host:port", "a b:1", "x:1\"]"})
    void targetsMustBeHostAndPort(String target) {
        assertThatThrownBy(() -> ScrapeJob.of("app", "/metrics", List.of(target)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(target);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1app", "a\"b", "a b"})
    void jobNamesAreSafeInYaml(String name) {
        assertThatThrownBy(() -> ScrapeJob.of(name, "/metrics", List.of("a:1")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
