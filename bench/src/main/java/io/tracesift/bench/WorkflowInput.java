package io.tracesift.bench;

import io.tracesift.workload.GeneratorSettings;
import io.tracesift.workload.TraceBatch;
import io.tracesift.workload.WorkflowGenerator;

import java.time.Duration;
import java.util.List;

/**
 * The main input: multi-agent workflows from the workload generator with a fixed seed (three tenants, 5 %
 * errors, 2 % slow), as the Collector's exporter with {@code partition_traces_by_id} would write them: by default
 * one record per trace per service export ({@link ServiceExports}), or the generator's whole-workflow batches
 * ({@link InputGrouping#WORKFLOW}, runs 1 to 3). Long-running and huge workflows are left out so every trace
 * completes within the run and the mean stays ~20 spans per trace.
 */
final class WorkflowInput implements InputTopic.Source {
    /** The generator's mean, used to size the number of workflows for a span target. */
    static final double SPANS_PER_WORKFLOW = 20;

    private final GeneratorSettings settings;
    private final InputGrouping grouping;

    WorkflowInput(long seed, long approximateSpans, List<String> tenants, InputGrouping grouping) {
        this.settings = workflows(seed, tenants)
                .withTraceCount(Math.max(1, Math.round(approximateSpans / SPANS_PER_WORKFLOW)));
        this.grouping = grouping;
    }

    /** The benchmark's workflow mix, endless: also the freshness phase's background load. */
    static GeneratorSettings workflows(long seed, List<String> tenants) {
        return GeneratorSettings.defaults()
                .withSeed(seed)
                .withTenants(tenants)
                .withLongRunning(0, Duration.ofMinutes(30), 1)
                .withHugeTraces(0, 1);
    }

    /** Every batch of the generated workflows; also the span pool of {@link SizedTraceInput}. */
    WorkflowGenerator generator() {
        return new WorkflowGenerator(settings, now());
    }

    @Override
    public void writeTo(InputTopic.Writer writer) {
        long start = now();
        WorkflowGenerator generator = new WorkflowGenerator(settings, start);
        ServiceExports exports = grouping == InputGrouping.SERVICE ? new ServiceExports(settings.seed(), start) : null;
        while (generator.hasNext()) {
            TraceBatch batch = generator.next();
            if (exports == null) {
                writer.write(batch.tenant(), batch.traceId(), batch.request(), batch.spanCount());
            } else {
                exports.add(batch, writer);
            }
            if (batch.lastOfTrace()) {
                writer.traceDone();
            }
        }
        if (exports != null) {
            exports.finish(writer);
        }
    }

    /** The generator's timeline starts now: span times stay within the pipeline's timestamp checks. */
    private static long now() {
        return System.currentTimeMillis() * 1_000_000L;
    }
}
