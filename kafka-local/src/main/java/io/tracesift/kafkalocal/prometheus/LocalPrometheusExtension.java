package io.tracesift.kafkalocal.prometheus;

import java.time.Duration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class its own real Prometheus:
 * <pre>{@code @RegisterExtension static final LocalPrometheusExtension PROMETHEUS = new LocalPrometheusExtension();}</pre>
 * Started before the class's tests with no targets (add them with {@link #scrape}); stopped and its folder deleted
 * after the class, whether the tests passed or failed. {@code @Nested} classes share it.
 */
public final class LocalPrometheusExtension implements BeforeAllCallback, AfterAllCallback {
    private LocalPrometheus prometheus;
    private Class<?> owner;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (prometheus != null) {
            return;
        }
        owner = context.getRequiredTestClass();
        prometheus = LocalPrometheus.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (prometheus == null || context.getRequiredTestClass() != owner) {
            return;
        }
        try {
            prometheus.close();
        } finally {
            prometheus = null;
        }
    }

    public LocalPrometheus prometheus() {
        if (prometheus == null) {
            throw new IllegalStateException("Prometheus is not running: register LocalPrometheusExtension on a static "
                    + "field with @RegisterExtension and use it from tests or @BeforeAll methods");
        }
        return prometheus;
    }

    /** @see LocalPrometheus#scrape(String, String...) */
    public void scrape(String job, String... targets) {
        prometheus().scrape(job, targets);
    }

    /** @see LocalPrometheus#query(String) */
    public QueryResult query(String promql) {
        return prometheus().query(promql);
    }

    /** @see LocalPrometheus#value(String) */
    public double value(String promql) {
        return prometheus().value(promql);
    }

    /** @see LocalPrometheus#awaitTargetsUp(String, Duration) */
    public void awaitTargetsUp(String job, Duration timeout) {
        prometheus().awaitTargetsUp(job, timeout);
    }
}
