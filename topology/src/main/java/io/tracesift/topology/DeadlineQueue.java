package io.tracesift.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A task's deadlines: the {@link TracesiftTopology#DEADLINE_STORE} with its earliest decide deadlines held on the heap.
 *
 * <p>A trace's decide deadline lives for seconds: scheduled at max-age when its first spans arrive, moved when its
 * root arrives, taken send-delay later. In the store each of those steps was a RocksDB write (put, delete, put,
 * delete), about half of the assembly stores' writes per trace. Held in a sorted set they cost none. The store is an
 * index rebuilt from the index and decision stores at every task start, so holding part of it in memory loses
 * nothing on a crash. At most {@code maxHeld} deadlines are held: beyond that the latest-due one goes to the store,
 * so the heap stays bounded whatever the number of open traces, and the far deadlines of long-running traces live on
 * disk as before. Forget deadlines (decision-ttl, hours away) always go to the store.
 */
final class DeadlineQueue {
    private static final byte[] EMPTY = new byte[0];
    /** Keys deleted per pass when the store is cleared (the keys of one pass are held on the heap). */
    private static final int CLEAR_BATCH = 10_000;

    private final KeyValueStore<Bytes, byte[]> store;
    private final int maxHeld;
    private final TreeSet<Bytes> held = new TreeSet<>();

    /** @param maxHeld decide deadlines held on the heap at most (0: every deadline goes to the store) */
    DeadlineQueue(KeyValueStore<Bytes, byte[]> store, int maxHeld) {
        this.store = store;
        this.maxHeld = maxHeld;
    }

    void add(DeadlineKey deadline) {
        Bytes key = Bytes.wrap(deadline.encode());
        if (deadline.kind() != DeadlineKey.Kind.DECIDE || maxHeld == 0) {
            store.put(key, EMPTY);
            return;
        }
        held.add(key);
        if (held.size() > maxHeld) {
            store.put(held.pollLast(), EMPTY);
        }
    }

    void remove(DeadlineKey deadline) {
        Bytes key = Bytes.wrap(deadline.encode());
        if (!held.remove(key)) {
            store.put(key, null);
        }
    }

    /**
     * Takes (removes and returns) the deadlines due from {@code fromMs} up to {@code toMs} (exclusive), earliest first,
     * at most {@code max}. None when {@code toMs} is not after {@code fromMs} (the wall clock stepped back).
     */
    List<DeadlineKey> takeDue(long fromMs, long toMs, int max) {
        if (toMs <= fromMs) {
            return List.of();
        }
        Bytes from = Bytes.wrap(DeadlineKey.bound(fromMs));
        Bytes to = Bytes.wrap(DeadlineKey.bound(toMs));
        NavigableSet<Bytes> heldDue = held.subSet(from, true, to, false);
        List<Bytes> stored = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(from, to)) {
            while (it.hasNext() && stored.size() < max) {
                stored.add(it.next().key);
            }
        }
        List<DeadlineKey> due = new ArrayList<>();
        var heldIt = heldDue.iterator();
        Bytes nextHeld = heldIt.hasNext() ? heldIt.next() : null;
        int s = 0;
        while (due.size() < max && (nextHeld != null || s < stored.size())) {
            if (nextHeld != null && (s == stored.size() || nextHeld.compareTo(stored.get(s)) <= 0)) {
                due.add(DeadlineKey.decode(nextHeld.get()));
                heldIt.remove();
                nextHeld = heldIt.hasNext() ? heldIt.next() : null;
            } else {
                Bytes key = stored.get(s++);
                due.add(DeadlineKey.decode(key.get()));
                store.put(key, null);
            }
        }
        return due;
    }

    /** Drops every deadline, held or stored (a task's start, before they are rebuilt). */
    void clear() {
        held.clear();
        List<Bytes> stale = new ArrayList<>();
        do {
            stale.clear();
            try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
                while (it.hasNext() && stale.size() < CLEAR_BATCH) {
                    stale.add(it.next().key);
                }
            }
            stale.forEach(key -> store.put(key, null));
        } while (!stale.isEmpty());
    }
}
