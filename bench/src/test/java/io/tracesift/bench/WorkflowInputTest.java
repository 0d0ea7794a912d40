package io.tracesift.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracesift.serdes.TraceIds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WorkflowInputTest {
    private record Written(String tenant, String traceId, ExportTraceServiceRequest request, int spanCount) {
        List<Span> spans() {
            List<Span> spans = new ArrayList<>();
            request.getResourceSpansList().forEach(r -> r.getScopeSpansList().forEach(s -> spans.addAll(s.getSpansList())));
            return spans;
        }

        /** What the grouping decides, free of the run's start time: the trace and its span ids. */
        List<Object> identity() {
            return List.of(traceId, spans().stream().map(Span::getSpanId).toList());
        }
    }

    private static List<Written> write(InputGrouping grouping) {
        List<Written> records = new ArrayList<>();
        new WorkflowInput(7, 4_000, Benchmark.TENANTS, grouping).writeTo(new InputTopic.Writer() {
            @Override
            public void write(String tenant, String traceIdHex, ExportTraceServiceRequest request, int spanCount) {
                records.add(new Written(tenant, traceIdHex, request, spanCount));
            }

            @Override
            public void traceDone() {}
        });
        return records;
    }

    private static Set<Span> spansOf(List<Written> records) {
        Set<Span> spans = new HashSet<>();
        records.forEach(r -> spans.addAll(r.spans()));
        return spans;
    }

    @Test
    void serviceGroupingWritesEverySpanOnceInOneRecordPerTraceAndServiceInstance() {
        List<Written> byService = write(InputGrouping.SERVICE);
        List<Written> byWorkflow = write(InputGrouping.WORKFLOW);

        assertThat(byService.stream().mapToInt(Written::spanCount).sum())
                .isEqualTo(byWorkflow.stream().mapToInt(Written::spanCount).sum())
                .isEqualTo(spansOf(byService).size());
        assertThat(spansOf(byService).stream().map(Span::getSpanId).distinct().count())
                .isEqualTo(spansOf(byWorkflow).stream().map(Span::getSpanId).distinct().count());
        for (Written record : byService) {
            assertThat(record.request().getResourceSpansCount()).isEqualTo(1);
            assertThat(record.spans()).hasSize(record.spanCount())
                    .allSatisfy(span -> assertThat(TraceIds.toHex(span.getTraceId())).isEqualTo(record.traceId()));
        }
        // Every service instance exports a trace's spans in its own records: more records than whole workflows.
        assertThat(byService.size()).isGreaterThan(2 * byWorkflow.size());
    }

    @Test
    void serviceGroupingInterleavesConcurrentTraces() {
        List<Written> records = write(InputGrouping.SERVICE);
        int interleaved = 0;
        for (int i = 2; i < records.size(); i++) {
            String trace = records.get(i).traceId();
            if (!records.get(i - 1).traceId().equals(trace) && records.subList(0, i - 1).stream()
                    .anyMatch(r -> r.traceId().equals(trace))) {
                interleaved++;
            }
        }
        // Most records follow another trace's record although their trace already had records before.
        assertThat(interleaved).isGreaterThan(records.size() / 2);
    }

    @Test
    void sameSeedGivesTheSameRecordsWheneverTheRunStarts() throws InterruptedException {
        List<Written> first = write(InputGrouping.SERVICE);
        Thread.sleep(1_100);
        List<Written> second = write(InputGrouping.SERVICE);

        assertThat(second.stream().map(Written::identity).toList())
                .isEqualTo(first.stream().map(Written::identity).toList());
    }
}
