package io.tracesift.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time of this JVM's threads, by kind of thread, and of the broker's JVM, read from Linux's /proc: where a
 * phase's CPU goes besides its Kafka Streams threads (RocksDB's native flush and compaction threads, the garbage
 * collector, the clients' network threads) and what it costs the broker, which runs on the same two cores. JFR
 * samples only Java threads, and the process CPU clock only this JVM.
 *
 * <p>A thread's CPU is counted from the snapshot before (zero if it started since) to the snapshot after; a thread
 * that ended in between is lost from the kinds and lands in {@link #EXITED} (the process total minus the kinds).
 *
 * @param threadTicks CPU clock ticks of each live thread of this JVM, by thread id, with its name
 * @param brokerTicks CPU clock ticks of the broker process, -1 when not readable
 * @param processNanos CPU time of this JVM ({@link Benchmark#processCpuNanos})
 * @param minorFaults  minor page faults of this JVM so far, -1 when not readable: where a fault is dear, a phase that
 *                     touches fresh memory pays for it in CPU (session 18 found G1 giving the heap back between phases)
 */
record ThreadCpu(Map<Long, ThreadTicks> threadTicks, long brokerTicks, long processNanos, long minorFaults) {
    /** Linux's USER_HZ, the unit of /proc's CPU times on every architecture Java runs on. */
    static final long TICKS_PER_SECOND = 100;
    static final String STREAM = "stream";
    static final String CLIENT_IO = "client I/O";
    static final String ROCKSDB = "RocksDB";
    static final String GC = "GC";
    static final String JIT = "JIT";
    static final String OTHER = "other";
    /** Threads that ended between the snapshots, and the rounding of ticks to the process clock. */
    static final String EXITED = "ended threads";
    static final String BROKER = "broker";
    /** Kinds in the order they are printed; the broker last, outside this JVM. */
    static final List<String> KINDS = List.of(STREAM, CLIENT_IO, ROCKSDB, GC, JIT, OTHER, EXITED, BROKER);

    record ThreadTicks(String name, long ticks) {}

    /** A snapshot now; empty thread ticks and no broker where /proc cannot be read (not Linux). */
    static ThreadCpu now(long brokerPid) {
        Map<Long, ThreadTicks> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new ThreadTicks(Files.readString(task.resolve("comm")).trim(),
                                    ticks(Files.readString(task.resolve("stat")))));
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read: it counts as ended
                }
            }
        } catch (IOException | RuntimeException e) {
            threads.clear();
        }
        long faults;
        try {
            faults = minorFaults(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException | RuntimeException e) {
            faults = -1;
        }
        return new ThreadCpu(Map.copyOf(threads), brokerTicks(brokerPid), Benchmark.processCpuNanos(), faults);
    }

    /** CPU clock ticks of the broker process so far; -1 when not readable. */
    static long brokerTicks(long brokerPid) {
        try {
            return ticks(Files.readString(Path.of("/proc/" + brokerPid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Minor page faults of a /proc stat line (field 10 of proc(5)). */
    static long minorFaults(String stat) {
        return Long.parseLong(afterName(stat)[7]);
    }

    /** Minor page faults of this JVM from {@code before} to this snapshot; -1 when either could not be read. */
    long minorFaultsSince(ThreadCpu before) {
        return minorFaults < 0 || before.minorFaults < 0 ? -1 : minorFaults - before.minorFaults;
    }

    /** User plus system ticks of a /proc stat line. */
    static long ticks(String stat) {
        String[] fields = afterName(stat);
        // Fields 14 and 15 of proc(5), counted after the name (field 2): state is field 3.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The fields after the name, from field 3 (state) on; the name in parentheses may hold spaces and parentheses. */
    private static String[] afterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** The kind of a thread by its Linux name (the Java name cut to 15 characters). */
    static String kind(String name) {
        if (name.startsWith("bench-")) {
            return STREAM; // Kafka Streams names its threads after the client id, which starts with the application id
        }
        if (name.startsWith("kafka-")) {
            return CLIENT_IO;
        }
        if (name.startsWith("rocksdb")) {
            return ROCKSDB;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
            return GC;
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return JIT;
        }
        return OTHER;
    }

    /** Seconds of CPU by kind from {@code before} to this snapshot, in {@link #KINDS} order; empty without /proc. */
    Map<String, Double> since(ThreadCpu before) {
        if (threadTicks.isEmpty() || before.threadTicks.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> ticks = threadTicks.entrySet().stream().collect(Collectors.groupingBy(
                e -> kind(e.getValue().name()),
                Collectors.summingLong(e -> e.getValue().ticks()
                        - before.threadTicks.getOrDefault(e.getKey(), new ThreadTicks("", 0)).ticks())));
        Map<String, Double> seconds = new LinkedHashMap<>();
        double counted = 0;
        for (String kind : KINDS.subList(0, KINDS.indexOf(EXITED))) {
            double s = (double) ticks.getOrDefault(kind, 0L) / TICKS_PER_SECOND;
            seconds.put(kind, s);
            counted += s;
        }
        seconds.put(EXITED, Math.max(0, (processNanos - before.processNanos) / 1e9 - counted));
        if (brokerTicks >= 0 && before.brokerTicks >= 0) {
            seconds.put(BROKER, (double) (brokerTicks - before.brokerTicks) / TICKS_PER_SECOND);
        }
        return seconds;
    }
}
