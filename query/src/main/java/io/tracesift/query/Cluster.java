package io.tracesift.query;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where the query state lives: which instance owns a trace id, and which partitions each instance hosts. */
interface Cluster {
    /** An instance's {@code host:port} (its HTTP address, Kafka Streams' application.server). */
    record Host(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** The partition of a trace id, its active host and its standby hosts. */
    record Owner(int partition, Host active, List<Host> standbys) {
    }

    /** Partitions of the query stores one instance hosts, as the active copy and as standby. */
    record Member(Host host, Set<Integer> active, Set<Integer> standby) {
    }

    Host self();

    /** Empty while metadata is not available (starting, rebalancing). */
    Optional<Owner> ownerOf(String traceIdHex);

    List<Member> members();
}
