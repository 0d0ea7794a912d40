package io.tracesift.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query benchmark end to end on a tiny input: every trace loaded, every request shape answered correctly (the
 * harness checks each answer) and every figure line printed. No timing assertions: speed is what the benchmark
 * reports, not what a test decides.
 */
class QueryBenchmarkIT {
    @TempDir
    Path dataDir;

    @Test
    void loadsTracesMeasuresEveryShapeAndPrintsEveryFigure() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        assertThat(QueryBenchmark.run(new QueryBenchSettings(2_000, 2, 42, 50, 5, dataDir.resolve("run")), out)).isZero();

        String printed = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertThat(printed)
                .contains("bench query: loaded 2,000 / 2,000 traces")
                .containsPattern("(?m)^input  2,000 traces, 10,000 spans, \\d+ B/trace, written in [\\d.]+ s")
                .containsPattern("(?m)^load   2,000 traces in [\\d.]+ s: [\\d,]+ traces/s, [\\d.]+ MB/s, CPU \\d+ us/trace"
                        + "  peak heap \\d+ MB \\(after GC \\d+ MB\\)")
                .containsPattern("(?m)^disk   query stores \\(RocksDB\\) [\\d.]+ MB \\(chunks [\\d.]+, edges [\\d.]+, expiry [\\d.]+,"
                        + " index [\\d.]+, operations [\\d.]+, traces [\\d.]+\\); broker [\\d.]+ MB \\(changelogs [\\d.]+, input [\\d.]+, other [\\d.]+\\)")
                .containsPattern("(?m)^heap   live after load \\d+ MB; during queries peak \\d+ MB");
        List<String> shapes = List.of("lookup by id /api/traces/{id}", "lookup by id, OTLP JSON /api/v3/traces/{id}",
                "search recent, no filter", "search service", "search service + operation",
                "search service + tag db.system", "search service + error", "search error, any service",
                "search tag http.status_code=500, any service", "search minDuration 3s, any service",
                "search service + duration 100ms-200ms", "search service + 1 h window (start/end)",
                "search service + lookback 1h, limit 100", "search service, limit 1500 (the maximum)",
                "list services /api/services", "list operations /api/services/{s}/operations",
                "list dependencies /api/dependencies (24 h)");
        for (String shape : shapes) {
            String kind = shape.substring(0, shape.indexOf(' '));
            String name = shape.substring(shape.indexOf(' ') + 1);
            int n = kind.equals("lookup") ? 50 : 5;
            assertThat(printed).as(shape).containsPattern("(?m)^" + kind + " +" + java.util.regex.Pattern.quote(name)
                    + " +p50 +[\\d.]+ ms  p95 +[\\d.]+ ms  p99 +[\\d.]+ ms  max +[\\d.]+ ms  n " + n + "  results [\\d.]+$");
        }
        // Whole-day searches over 2,000 traces fill their limit; lookups found their trace every time.
        assertThat(printed).containsPattern("(?m)^search recent, no filter .* results 20\\.0$")
                .containsPattern("(?m)^search service, limit 1500 \\(the maximum\\) .* results \\d{2,3}\\.\\d$")
                .containsPattern("(?m)^lookup by id /api/traces/\\{id} .* results 1\\.0$")
                .containsPattern("(?m)^list +services /api/services .* results 20\\.0$");
        assertThat(printed).containsPattern("(?m)^target lookup by id p99 < 50 ms: worst p99 [\\d.]+ ms \\(.+\\)  (MET|MISSED by \\d+ of \\d+ shapes: .+)$")
                .containsPattern("(?m)^target search p99 < 500 ms: worst p99 [\\d.]+ ms \\(.+\\)  (MET|MISSED by \\d+ of \\d+ shapes: .+)$")
                .containsPattern("(?m)^load average before [\\d.]+ [\\d.]+ [\\d.]+, after [\\d.]+ [\\d.]+ [\\d.]+ \\(\\d+ cpus\\)$");
        assertThat(dataDir.resolve("run")).doesNotExist();
    }
}
