package io.tracesift.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadCpuTest {
    @Test
    void readsUserAndSystemTicksAfterANameThatHoldsSpacesAndParentheses() {
        String stat = "4242 (bench-a) b) S 1 4242 4242 0 -1 4194624 100 0 0 0 731 29 0 0 20 0 40 0 123 456 78";

        assertThat(ThreadCpu.ticks(stat)).isEqualTo(731 + 29);
        assertThat(ThreadCpu.minorFaults(stat)).isEqualTo(100);
    }

    @Test
    void countsThePageFaultsOfTouchingFreshMemory() {
        ThreadCpu before = ThreadCpu.now(-1);
        java.nio.ByteBuffer fresh = java.nio.ByteBuffer.allocateDirect(32 * 1024 * 1024);
        for (int page = 0; page < fresh.capacity(); page += 4096) {
            fresh.put(page, (byte) 1);
        }
        ThreadCpu after = ThreadCpu.now(-1);

        assertThat(before.minorFaults()).isPositive();
        assertThat(after.minorFaultsSince(before)).isPositive();
        assertThat(after.minorFaultsSince(new ThreadCpu(Map.of(), -1, 0, -1))).isEqualTo(-1);
    }

    @Test
    void kindsFollowTheLinuxNamesOfTheThreads() {
        assertThat(ThreadCpu.kind("bench-tracesift")).isEqualTo(ThreadCpu.STREAM);
        assertThat(ThreadCpu.kind("kafka-producer-")).isEqualTo(ThreadCpu.CLIENT_IO);
        assertThat(ThreadCpu.kind("rocksdb:low")).isEqualTo(ThreadCpu.ROCKSDB);
        assertThat(ThreadCpu.kind("GC Thread#1")).isEqualTo(ThreadCpu.GC);
        assertThat(ThreadCpu.kind("G1 Conc#0")).isEqualTo(ThreadCpu.GC);
        assertThat(ThreadCpu.kind("C2 CompilerThre")).isEqualTo(ThreadCpu.JIT);
        assertThat(ThreadCpu.kind("main")).isEqualTo(ThreadCpu.OTHER);
    }

    @Test
    void aThreadStartedBetweenTheSnapshotsCountsUnderItsKindAndTheOtherProcessUnderBroker() throws Exception {
        long self = ProcessHandle.current().pid(); // stands in for the broker: its CPU includes the spinning thread's
        ThreadCpu before = ThreadCpu.now(self);
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1);
        Thread spinner = new Thread(() -> {
            spin();
            spun.countDown();
            try {
                measured.await(); // alive at the second snapshot
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-spinner-StreamThread-1");
        spinner.start();
        spun.await();
        Thread ended = new Thread(ThreadCpuTest::spin, "rocksdb:ended");
        ended.start();
        ended.join();
        awaitGoneFromProc("rocksdb:ended");
        ThreadCpu after = ThreadCpu.now(self);
        measured.countDown();
        spinner.join();

        Map<String, Double> seconds = after.since(before);

        assertThat(seconds.keySet()).containsExactlyElementsOf(ThreadCpu.KINDS);
        assertThat(seconds.get(ThreadCpu.STREAM)).isGreaterThanOrEqualTo(0.2);
        assertThat(seconds.get(ThreadCpu.EXITED)).as("the second thread ended before the snapshot").isGreaterThanOrEqualTo(0.2);
        assertThat(seconds.get(ThreadCpu.ROCKSDB)).isLessThan(0.1);
        assertThat(seconds.get(ThreadCpu.BROKER)).isGreaterThanOrEqualTo(0.4);
    }

    /**
     * Waits until no thread of this name is listed in /proc/self/task: {@link Thread#join} returns once the Java thread
     * is done, and the native thread may still be listed, and counted as alive, for a moment after.
     */
    private static void awaitGoneFromProc(String name) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean listed = false;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                for (Path task : tasks) {
                    try {
                        listed |= Files.readString(task.resolve("comm")).trim().equals(name);
                    } catch (IOException e) {
                        // ended while being read
                    }
                }
            }
            if (!listed) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError(name + " still listed in /proc/self/task 5 s after it ended");
    }

    /** Burns at least 300 ms of this thread's CPU. */
    private static void spin() {
        var threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long x = 0;
        while (threads.getCurrentThreadCpuTime() - start < 300_000_000L) {
            for (int i = 0; i < 100_000; i++) {
                x += i ^ x;
            }
        }
        if (x == 42) {
            System.out.println(x);
        }
    }
}
