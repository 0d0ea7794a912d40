package io.tracesift.bench;

import java.nio.file.Path;

/**
 * What one query benchmark run does.
 *
 * @param traces     kept traces loaded into the query stores (all of one tenant, started over the last day)
 * @param partitions partitions of the tenant's {@code traces.<tenant>} topic (tasks of the query feed)
 * @param seed       the trace generator's seed: the same seed gives the same traces
 * @param lookups    timed lookups by id (after a tenth as many untimed ones)
 * @param searches   timed requests per search shape (after a few untimed ones)
 * @param dataDir    broker data and Kafka Streams state; deleted at the end
 */
public record QueryBenchSettings(int traces, int partitions, long seed, int lookups, int searches, Path dataDir) {
    public QueryBenchSettings {
        if (traces < 100) {
            throw new IllegalArgumentException("--traces must be at least 100");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1");
        }
        if (lookups < 1 || searches < 1) {
            throw new IllegalArgumentException("--lookups and --searches must be at least 1");
        }
    }
}
