package io.tracesift.query;

import io.tracesift.tenantrouting.TenantId;

import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.tracesift.query.RecentTracesTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/** Routing and merging across instances, with peers that are down or never answer. */
class ClusterTraceQueriesTest {
    private static final TenantScope.Scoped ACME = new TenantScope.Scoped(new TenantId("acme"), "Authorization",
            "Bearer " + TenantScopeTest.ACME_KEY);
    private static final Cluster.Host SELF = new Cluster.Host("127.0.0.1", 1);
    private final String id = TestTraces.id(1);

    private TopologyTestDriver driver;
    private InternalApi local;
    private ServerSocket silent;
    private Cluster.Host silentPeer;
    private Cluster.Host downPeer;

    @BeforeEach
    void start() throws Exception {
        driver = RecentTracesTest.driver(QuerySettings.defaults(TenantScopeTest.KEYS));
        RecentTracesTest.send(driver, "acme", id, RecentTracesTest.checkout(id).request(), NOW);
        local = new InternalApi(RecentTracesTest.storeOf(driver), OpenTraceSource.NONE);
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // accepts, never answers
        silentPeer = new Cluster.Host("127.0.0.1", silent.getLocalPort());
        try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            downPeer = new Cluster.Host("127.0.0.1", closed.getLocalPort());
        }
    }

    @AfterEach
    void stop() throws Exception {
        silent.close();
        driver.close();
    }

    private ClusterTraceQueries queries(Cluster cluster, Duration timeout) {
        return new ClusterTraceQueries(cluster, local, new PeerClient(), timeout);
    }

    record FixedCluster(Optional<Owner> owner, List<Member> members) implements Cluster {
        @Override
        public Host self() {
            return SELF;
        }

        @Override
        public Optional<Owner> ownerOf(String traceIdHex) {
            return owner;
        }
    }

    @Test
    void aSearchReturnsWhatArrivedBeforeTheDeadlineAndNamesWhatIsMissing() {
        Cluster cluster = new FixedCluster(Optional.empty(), List.of(
                new Cluster.Member(SELF, Set.of(0), Set.of()),
                new Cluster.Member(silentPeer, Set.of(1, 2), Set.of())));
        long started = System.nanoTime();
        TraceQueries.Answer<List<StoredTrace>> answer = queries(cluster, Duration.ofSeconds(1))
                .search(ACME, RecentTracesTest.search(null, null, Map.of()));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(answer.value()).extracting(StoredTrace::traceIdHex).containsExactly(id);
        assertThat(answer.errors()).containsExactly(
                "instance " + silentPeer + " did not answer: no answer before the request deadline",
                "partial results: partitions [1, 2] could not be queried");
        assertThat(elapsedMs).isBetween(900L, 5_000L);
    }

    @Test
    void aStandbyAnswersForTheStatePartitionsOfAnInstanceThatIsDown() {
        Cluster cluster = new FixedCluster(Optional.empty(), List.of(
                new Cluster.Member(SELF, Set.of(), Set.of(0)),
                new Cluster.Member(downPeer, Set.of(0), Set.of())));
        TraceQueries.Answer<Set<String>> services = queries(cluster, Duration.ofSeconds(5)).services(ACME);

        assertThat(services.value()).containsExactly("cart", "frontend", "payments");
        assertThat(services.errors()).hasSize(2)
                .contains("stale: partitions [0] were answered by the standby replica on " + SELF)
                .anySatisfy(e -> assertThat(e).startsWith("instance " + downPeer + " did not answer"));
    }

    @Test
    void aLookupFallsBackFromTheOwnerToItsStandbyAndSaysItIsStale() {
        Cluster cluster = new FixedCluster(Optional.of(new Cluster.Owner(0, downPeer, List.of(SELF))), List.of(
                new Cluster.Member(SELF, Set.of(), Set.of(0)),
                new Cluster.Member(downPeer, Set.of(0), Set.of())));
        TraceQueries.Answer<Optional<StoredTrace>> answer = queries(cluster, Duration.ofSeconds(5)).trace(ACME, id);

        assertThat(answer.value()).get().extracting(StoredTrace::warnings).isEqualTo(List.of(StoredTrace.STALE));
        assertThat(answer.errors()).isEmpty();
    }

    @Test
    void aMissIsNotFoundOnlyWhenEveryInstanceAnswered() {
        Cluster healthy = new FixedCluster(Optional.of(new Cluster.Owner(0, SELF, List.of())),
                List.of(new Cluster.Member(SELF, Set.of(0), Set.of())));
        TraceQueries.Answer<Optional<StoredTrace>> missing = queries(healthy, Duration.ofSeconds(5))
                .trace(ACME, TestTraces.id(77));
        assertThat(missing.value()).isEmpty();
        assertThat(missing.errors()).isEmpty();

        Cluster partial = new FixedCluster(Optional.of(new Cluster.Owner(0, SELF, List.of())), List.of(
                new Cluster.Member(SELF, Set.of(0), Set.of()), new Cluster.Member(downPeer, Set.of(1), Set.of())));
        TraceQueries.Answer<Optional<StoredTrace>> unknown = queries(partial, Duration.ofSeconds(5))
                .trace(ACME, TestTraces.id(77));
        assertThat(unknown.value()).isEmpty();
        assertThat(unknown.errors()).anySatisfy(e -> assertThat(e).startsWith("instance " + downPeer + " did not answer"));
    }

    @Test
    void withoutMetadataTheAnswerSaysTheStateIsNotReady() {
        Cluster starting = new FixedCluster(Optional.empty(), List.of());
        assertThat(queries(starting, Duration.ofSeconds(1)).services(ACME).errors()).containsExactly(
                "the query state is not available yet (instances starting or rebalancing); retry shortly");
        assertThat(queries(starting, Duration.ofSeconds(1)).trace(ACME, id).errors()).containsExactly(
                "the query state is not available yet (instances starting or rebalancing); retry shortly");
    }
}
