package io.tracesift.aggregation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.tracesift.aggregation.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

class ServiceGraphTest {
    static final double[] BUCKETS = {0.05, 0.5, 5};
    static final int SERVER = 2, CLIENT = 3, PRODUCER = 4, CONSUMER = 5, INTERNAL = 1;

    /** The series one trace leaves in a store. */
    static Map<SeriesKey, SeriesValue> recorded(SpanSample... spans) {
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator acc = new SeriesAccumulator(store, 100);
        new ServiceGraph(BUCKETS, acc).record(List.of(spans), 0);
        acc.flush();
        return store.series();
    }

    /** Series as "family{client,server,type}" lines (histograms with their observed sum, counters above 1 with "x n"), sorted. */
    static List<String> graph(SpanSample... spans) {
        return recorded(spans).entrySet().stream().map(e -> {
            String family = e.getKey().family().replace("traces_service_graph_", "");
            String labels = e.getKey().labels().stream().map(Label::value).collect(Collectors.joining(","));
            String value = e.getValue() instanceof HistogramValue h ? " " + h.sum()
                    : ((CounterValue) e.getValue()).value() == 1 ? "" : " x " + ((CounterValue) e.getValue()).value();
            return family + "{" + labels + "}" + value;
        }).sorted().toList();
    }

    static TestSpans s(String id, String parent, String service, int kind) {
        return span().id(id).parent(parent).service(service).kind(kind).durationMillis(100);
    }

    static Stream<Arguments> traces() {
        return Stream.of(
                Arguments.of("client -> server across services", List.of(
                        s("000000000000000a", "", "web", INTERNAL).build(),
                        s("000000000000000b", "000000000000000a", "web", CLIENT).durationMillis(300).build(),
                        s("000000000000000c", "000000000000000b", "cart", SERVER).durationMillis(200).build()),
                        List.of("request_client_seconds{web,cart,} 0.3", "request_server_seconds{web,cart,} 0.2", "request_total{web,cart,}")),
                Arguments.of("failed when either side errs", List.of(
                        s("000000000000000b", "000000000000000a", "web", CLIENT).status(2).build(),
                        s("000000000000000c", "000000000000000b", "cart", SERVER).build()),
                        List.of("request_client_seconds{web,cart,} 0.1", "request_failed_total{web,cart,}",
                                "request_server_seconds{web,cart,} 0.1", "request_total{web,cart,}")),
                Arguments.of("producer -> consumer is messaging", List.of(
                        s("000000000000000b", "000000000000000a", "orders", PRODUCER).build(),
                        s("000000000000000c", "000000000000000b", "billing", CONSUMER).build()),
                        List.of("request_client_seconds{orders,billing,messaging_system} 0.1",
                                "request_server_seconds{orders,billing,messaging_system} 0.1", "request_total{orders,billing,messaging_system}")),
                Arguments.of("root server span is called by user", List.of(
                        s("000000000000000a", "", "web", SERVER).build()),
                        List.of("request_server_seconds{user,web,virtual_node} 0.1", "request_total{user,web,virtual_node}")),
                Arguments.of("database client is a virtual node named by its namespace", List.of(
                        s("000000000000000b", "000000000000000a", "cart", CLIENT).attr("db.system.name", "postgresql").attr("db.namespace", "carts").build()),
                        List.of("request_client_seconds{cart,carts,database} 0.1", "request_total{cart,carts,database}")),
                Arguments.of("database client with old attributes, no name", List.of(
                        s("000000000000000b", "000000000000000a", "cart", CLIENT).attr("db.system", "redis").status(2).build()),
                        List.of("request_client_seconds{cart,redis,database} 0.1", "request_failed_total{cart,redis,database}",
                                "request_total{cart,redis,database}")),
                Arguments.of("database client with db.name", List.of(
                        s("000000000000000b", "000000000000000a", "cart", CLIENT).attr("db.system", "mysql").attr("db.name", "shop").build()),
                        List.of("request_client_seconds{cart,shop,database} 0.1", "request_total{cart,shop,database}")),
                Arguments.of("producer without consumer goes to its destination", List.of(
                        s("000000000000000b", "000000000000000a", "orders", PRODUCER).attr("messaging.system", "kafka")
                                .attr("messaging.destination.name", "order-events").build()),
                        List.of("request_client_seconds{orders,order-events,messaging_system} 0.1",
                                "request_total{orders,order-events,messaging_system}")),
                Arguments.of("messaging attributes make no messaging node of a client, nor database ones a database of a producer",
                        List.of(s("000000000000000b", "000000000000000a", "cart", CLIENT).attr("messaging.system", "kafka")
                                        .attr("peer.service", "broker").build(),
                                s("000000000000000c", "000000000000000a", "orders", PRODUCER).attr("db.system", "redis").build()),
                        List.of("request_client_seconds{cart,broker,virtual_node} 0.1", "request_total{cart,broker,virtual_node}",
                                "unpaired_spans_total{orders,}")),
                Arguments.of("client to an uninstrumented peer", List.of(
                        s("000000000000000b", "000000000000000a", "cart", CLIENT).attr("peer.service", "payments-api").build()),
                        List.of("request_client_seconds{cart,payments-api,virtual_node} 0.1", "request_total{cart,payments-api,virtual_node}")),
                Arguments.of("client without server or peer is unpaired", List.of(
                        s("000000000000000b", "000000000000000a", "cart", CLIENT).build()),
                        List.of("unpaired_spans_total{cart,}")),
                Arguments.of("server whose parent is missing is unpaired", List.of(
                        s("000000000000000c", "000000000000000b", "cart", SERVER).build()),
                        List.of("unpaired_spans_total{,cart}")),
                Arguments.of("server under an internal span is unpaired, and so is nothing else", List.of(
                        s("000000000000000b", "000000000000000a", "web", INTERNAL).build(),
                        s("000000000000000c", "000000000000000b", "cart", SERVER).build()),
                        List.of("unpaired_spans_total{,cart}")),
                Arguments.of("a service calling itself is an edge", List.of(
                        s("000000000000000b", "000000000000000a", "web", CLIENT).build(),
                        s("000000000000000c", "000000000000000b", "web", SERVER).build()),
                        List.of("request_client_seconds{web,web,} 0.1", "request_server_seconds{web,web,} 0.1", "request_total{web,web,}")),
                Arguments.of("a database attribute does not override a real server child", List.of(
                        s("000000000000000b", "000000000000000a", "web", CLIENT).attr("db.system", "postgresql").build(),
                        s("000000000000000c", "000000000000000b", "dbproxy", SERVER).build()),
                        List.of("request_client_seconds{web,dbproxy,} 0.1", "request_server_seconds{web,dbproxy,} 0.1", "request_total{web,dbproxy,}")),
                Arguments.of("absurd durations make edges but no observations", List.of(
                        s("000000000000000b", "000000000000000a", "web", CLIENT).durationNanos(-1).build(),
                        s("000000000000000c", "000000000000000b", "cart", SERVER).durationNanos(-1).build()),
                        List.of("request_total{web,cart,}")),
                Arguments.of("internal spans alone make no graph", List.of(
                        s("000000000000000a", "", "web", INTERNAL).build()),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traces")
    void edgesOfWholeTraces(String why, List<SpanSample> trace, List<String> expected) {
        assertThat(graph(trace.toArray(SpanSample[]::new))).containsExactlyElementsOf(expected);
    }

    @Test
    void largeTracesPairEverySpanByItsIdWhateverItsBits() {
        // 3,000 client -> server pairs whose ids differ only in their high or low halves (colliding buckets of a weak
        // hash), shuffled, plus clients whose server children name ids that no span has.
        List<SpanSample> trace = new ArrayList<>();
        for (int i = 1; i <= 1_000; i++) {
            for (long client : new long[] {(long) i << 32, i, (long) i << 48 | 0xff}) {
                long server = client ^ 0x5a5a_0000_0000_0000L;
                // 1/8 s: sums of it are exact in binary.
                trace.add(s(hex(client), "00000000000000aa", "web", CLIENT).durationMillis(125).build());
                trace.add(s(hex(server), hex(client), "cart", SERVER).durationMillis(125).build());
            }
            trace.add(s(hex(0x7700_0000_0000_0000L | i), hex(0x6600_0000_0000_0000L | i), "cart", SERVER).build());
        }
        Collections.shuffle(trace, new Random(7));
        assertThat(graph(trace.toArray(SpanSample[]::new))).containsExactly("request_client_seconds{web,cart,} 375.0",
                "request_server_seconds{web,cart,} 375.0", "request_total{web,cart,} x 3000", "unpaired_spans_total{,cart} x 1000");
    }

    @Test
    void idsThatFoldToOneHashStillPairInLongProbeChains() {
        // Every id whose halves XOR to the same value lands in one slot: 40 clients and 40 servers in one chain.
        List<SpanSample> trace = new ArrayList<>();
        for (long a = 1; a <= 40; a++) {
            long client = a << 32 | (a ^ 0x1234_5678L);
            long server = a + 100 << 32 | (a + 100 ^ 0x1234_5678L);
            trace.add(s(hex(client), "00000000000000aa", "web", CLIENT).durationMillis(125).build());
            trace.add(s(hex(server), hex(client), "cart", SERVER).durationMillis(125).build());
        }
        assertThat(graph(trace.toArray(SpanSample[]::new))).containsExactly("request_client_seconds{web,cart,} 5.0",
                "request_server_seconds{web,cart,} 5.0", "request_total{web,cart,} x 40");
    }

    @Test
    void aSpanIdSentTwiceCountsItsLastSpanAsTheParent() {
        assertThat(graph(s("000000000000000b", "000000000000000a", "web", INTERNAL).build(),
                s("000000000000000b", "000000000000000a", "web", CLIENT).build(),
                s("000000000000000c", "000000000000000b", "cart", SERVER).build()))
                .containsExactly("request_client_seconds{web,cart,} 0.1", "request_server_seconds{web,cart,} 0.1",
                        "request_total{web,cart,}");
    }

    @Test
    void aServerWhoseParentNoSpanHasIsUnpairedWhateverComesFirst() {
        assertThat(graph(s("000000000000000b", "000000000000000a", "web", CLIENT).build(),
                s("000000000000000c", "00000000000000ff", "cart", SERVER).build()))
                .containsExactly("unpaired_spans_total{,cart}", "unpaired_spans_total{web,}");
    }

    private static String hex(long id) {
        return String.format("%016x", id);
    }

    @Test
    void labelsAreClientServerConnectionTypeInTenantOfTheSpans() {
        assertThat(recorded(s("000000000000000a", "", "web", SERVER).tenant("globex").build()))
                .containsKey(SeriesKey.of("globex", "traces_service_graph_request_total",
                        "client", "user", "server", "web", "connection_type", "virtual_node"));
    }

    @Test
    void keptTracesGiveExemplarsOfEachSide() {
        Map<SeriesKey, SeriesValue> out = recorded(
                s("000000000000000b", "000000000000000a", "web", CLIENT).kept().build(),
                s("000000000000000c", "000000000000000b", "cart", SERVER).kept().build());
        List<String> exemplarSpans = out.entrySet().stream().filter(e -> e.getValue() instanceof HistogramValue)
                .map(e -> e.getKey().family() + "=" + ((HistogramValue) e.getValue()).exemplar().spanIdHex()).sorted().toList();
        assertThat(exemplarSpans).containsExactly("traces_service_graph_request_client_seconds=000000000000000b",
                "traces_service_graph_request_server_seconds=000000000000000c");
    }

    @Test
    void tracesOfOneEdgeAddUp() {
        InMemorySeriesStore store = new InMemorySeriesStore();
        SeriesAccumulator acc = new SeriesAccumulator(store, 100);
        ServiceGraph graph = new ServiceGraph(BUCKETS, acc);
        List<SpanSample> trace = List.of(s("000000000000000b", "000000000000000a", "web", CLIENT).build(),
                s("000000000000000c", "000000000000000b", "cart", SERVER).status(2).build());
        graph.record(trace, 0);
        graph.record(trace, 0);
        acc.flush();
        graph.record(trace, 0);
        acc.flush();
        assertThat(store.counter(SeriesKey.of("acme", "traces_service_graph_request_total",
                "client", "web", "server", "cart", "connection_type", ""))).isEqualTo(3);
        assertThat(store.counter(SeriesKey.of("acme", "traces_service_graph_request_failed_total",
                "client", "web", "server", "cart", "connection_type", ""))).isEqualTo(3);
        assertThat(((HistogramValue) store.get(SeriesKey.of("acme", "traces_service_graph_request_server_seconds",
                "client", "web", "server", "cart", "connection_type", ""))).count()).isEqualTo(3);
    }
}
