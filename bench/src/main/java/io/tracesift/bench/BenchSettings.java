package io.tracesift.bench;

import io.tracesift.tenantrouting.Partitioning;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark run does.
 *
 * @param spans           approximate spans of the main input (whole generated workflows, ~20 spans each)
 * @param sizeSpans       approximate spans of each fixed-size input (traces of 10, 100 and 1,000 spans)
 * @param traceSizes      spans per trace of the fixed-size inputs
 * @param partitions      partitions of every input topic
 * @param seed            the workflow generator's seed: the same seed gives the same input
 * @param grouping        how the main input's spans are cut into records (one per trace per service export, or
 *                        the generator's whole-workflow batches of runs 1 to 3)
 * @param inputPartitioning how the inputs' records, keyed by hex trace id, are spread over partitions (the
 *                        Collector's Sarama hash by default; tracesift's {@code assembly.partitioner} stays its default)
 * @param naiveBudget     the naive topology runs until it has consumed the input or for this long, whichever
 *                        comes first (it is ~20x slower; its rate is measured over what it committed)
 * @param dataDir         broker data and Kafka Streams state; deleted at the end
 * @param probes          probe spans of the freshness phase (arrival in Kafka to visible on {@code /metrics})
 * @param backgroundRate  spans/s of generated workflows written during the freshness phase
 * @param streamsOverrides Kafka Streams properties set for every Streams phase (naive and tracesift alike) on top
 *                        of tracesift's defaults, e.g. {@code commit.interval.ms}
 * @param tracesiftConfig  a tracesift configuration (the tree of a YAML file, as {@code run} and {@code demo} read it)
 *                        under every tracesift run of the rounds and of the per-size runs, for example a sampling
 *                        section; the bench sets {@code topics.input}, {@code assembly.skip-repartition} and
 *                        {@code metrics.enabled} itself. Empty: tracesift's defaults. The freshness phase always runs with
 *                        tracesift's defaults.
 */
public record BenchSettings(long spans, long sizeSpans, List<Integer> traceSizes, int partitions, long seed,
                            InputGrouping grouping, Partitioning inputPartitioning,
                            Duration naiveBudget, Path dataDir, int probes, int backgroundRate,
                            Map<String, String> streamsOverrides, Map<String, Object> tracesiftConfig) {
    public BenchSettings {
        traceSizes = List.copyOf(traceSizes);
        streamsOverrides = Map.copyOf(streamsOverrides);
        tracesiftConfig = Map.copyOf(tracesiftConfig);
        if (spans < 100 || sizeSpans < 100) {
            throw new IllegalArgumentException("--spans and --size-spans must be at least 100");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1");
        }
        if (traceSizes.isEmpty() || traceSizes.stream().anyMatch(size -> size < 1 || size > sizeSpans)) {
            throw new IllegalArgumentException("trace sizes must be between 1 and --size-spans");
        }
        if (probes < 1) {
            throw new IllegalArgumentException("--probes must be at least 1");
        }
        if (backgroundRate < 20) {
            throw new IllegalArgumentException("--background-rate must be at least 20 spans/s (one workflow per second)");
        }
    }
}
