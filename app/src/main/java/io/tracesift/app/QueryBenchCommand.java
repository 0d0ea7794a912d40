package io.tracesift.app;

import io.tracesift.bench.QueryBenchSettings;
import io.tracesift.bench.QueryBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tracesift bench query}: the query benchmark of BENCHMARKS.md on a local broker it starts and stops. */
@Command(name = "query", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Query benchmark on a local broker: loads N kept traces through the query feed, then times"
                + " lookups by id and every search shape of the HTTP API (p50/p95/p99/max) against issue 6's targets.")
final class QueryBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--traces", paramLabel = "N", defaultValue = "1000000",
            description = "Kept traces to load, all of one tenant (default ${DEFAULT-VALUE}).")
    int traces;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
            description = "Partitions of the tenant's traces topic (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Trace generator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lookups", paramLabel = "N", defaultValue = "2000",
            description = "Timed lookups per lookup shape (default ${DEFAULT-VALUE}).")
    int lookups;

    @Option(names = "--searches", paramLabel = "N", defaultValue = "100",
            description = "Timed requests per search and list shape (default ${DEFAULT-VALUE}).")
    int searches;

    @Mixin
    BenchFolder folder;

    @Override
    public Integer call() throws Exception {
        QueryBenchSettings settings = folder.settings(spec, "tracesift-bench-query",
                runFolder -> new QueryBenchSettings(traces, partitions, seed, lookups, searches, runFolder));
        Logging.hideConnectionWarnings();
        return QueryBenchmark.run(settings, System.out);
    }
}
