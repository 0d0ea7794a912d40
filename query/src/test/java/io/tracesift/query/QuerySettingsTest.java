package io.tracesift.query;

import io.tracesift.tenantrouting.TenantId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class QuerySettingsTest {
    @Test
    void defaultsWhenTheSectionIsAbsent() {
        List<String> problems = new ArrayList<>();
        QuerySettings s = QuerySettings.fromConfig(null, problems);
        assertThat(problems).isEmpty();
        assertThat(s.retention()).isEqualTo(Duration.ofHours(24));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.maxLimit()).isEqualTo(1500);
        assertThat(s.apiKeys().isEmpty()).isTrue();
    }

    @Test
    void keysComeFromTheSectionAndAMountedFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.properties");
        Files.writeString(file, "# mounted secret\nfile-key-0123456789=globex\nops-key-0123456789=*\n");
        List<String> problems = new ArrayList<>();
        QuerySettings s = QuerySettings.fromConfig(Map.of("retention", "2h", "api-keys", Map.of("inline-key-0123", "acme"),
                "api-keys-file", file.toString()), problems);
        assertThat(problems).isEmpty();
        assertThat(s.retention()).isEqualTo(Duration.ofHours(2));
        assertThat(s.apiKeys().grant("inline-key-0123")).contains(new ApiKeys.Grant(Optional.of(new TenantId("acme"))));
        assertThat(s.apiKeys().grant("file-key-0123456789")).contains(new ApiKeys.Grant(Optional.of(new TenantId("globex"))));
        assertThat(s.apiKeys().grant("ops-key-0123456789").orElseThrow().operator()).isTrue();
        assertThat(s.apiKeys().grant("unknown-key-0123")).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnce(@TempDir Path dir) {
        List<String> problems = new ArrayList<>();
        QuerySettings s = QuerySettings.fromConfig(Map.of("retention", "forever", "max-limit", 0, "colour", "red",
                "api-keys", Map.of("short", "acme", "long-enough-key", "bad.tenant"),
                "api-keys-file", dir.resolve("missing").toString()), problems);
        assertThat(s).isNull();
        assertThat(problems).hasSize(6).anySatisfy(p -> assertThat(p).startsWith("query.retention: 'forever' is not a duration"))
                .anySatisfy(p -> assertThat(p).startsWith("query.max-limit: expected a whole number from 1 to 100000, found 0"))
                .anySatisfy(p -> assertThat(p).startsWith("query.colour: unknown key; valid keys: retention, expiry-interval"))
                .anySatisfy(p -> assertThat(p).contains("shorter than 8 characters"))
                .anySatisfy(p -> assertThat(p).contains("names an invalid tenant"))
                .anySatisfy(p -> assertThat(p).startsWith("query.api-keys-file: cannot read"));
        assertThat(String.join("\n", problems)).doesNotContain("long-enough-key").doesNotContain("short=");
    }
}
