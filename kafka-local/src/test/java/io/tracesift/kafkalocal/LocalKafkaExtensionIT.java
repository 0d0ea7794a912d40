package io.tracesift.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Runs small test classes that use the extension through the JUnit launcher and checks what they leave behind:
 * no broker process and no data folder, even when a test fails or a {@code @BeforeAll} throws.
 */
class LocalKafkaExtensionIT {

    @Test
    void aFailingTestStillStopsTheBrokerAndDeletesItsFolder() {
        TestExecutionSummary summary = run(FailingTest.class);

        assertThat(summary.getTestsFailedCount()).isEqualTo(1);
        assertThat(FailingTest.pid).isPositive();
        assertGone(FailingTest.pid, FailingTest.dataDir);
    }

    @Test
    void aThrowingBeforeAllStillStopsTheBrokerAndDeletesItsFolder() {
        TestExecutionSummary summary = run(ThrowingBeforeAll.class);

        assertThat(summary.getContainersFailedCount()).isEqualTo(1);
        assertThat(ThrowingBeforeAll.pid).isPositive();
        assertGone(ThrowingBeforeAll.pid, ThrowingBeforeAll.dataDir);
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(
                LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(), listener);
        return listener.getSummary();
    }

    private static void assertGone(long pid, Path dataDir) {
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("broker pid %d", pid).isEmpty();
        assertThat(dataDir).doesNotExist();
    }

    static class FailingTest {
        @RegisterExtension
        static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();
        static long pid;
        static Path dataDir;

        @Test
        void fails() {
            pid = KAFKA.pid();
            dataDir = KAFKA.broker().dataDir();
            assertThat(Files.isDirectory(dataDir)).isTrue();
            KAFKA.createTopics(1, "fixture");
            throw new AssertionError("this fixture fails on purpose");
        }
    }

    static class ThrowingBeforeAll {
        @RegisterExtension
        static final LocalKafkaExtension KAFKA = new LocalKafkaExtension();
        static long pid;
        static Path dataDir;

        @BeforeAll
        static void setUp() {
            pid = KAFKA.pid();
            dataDir = KAFKA.broker().dataDir();
            throw new IllegalStateException("this fixture's setup fails on purpose");
        }

        @Test
        void neverRuns() {
            throw new AssertionError("unreachable: @BeforeAll failed");
        }
    }
}
