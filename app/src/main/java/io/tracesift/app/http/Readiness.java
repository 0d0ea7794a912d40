package io.tracesift.app.http;

/** Whether the pipeline can serve: answers {@code /readyz}. */
public interface Readiness {

    boolean ready();

    /** A short state for the response body, e.g. "RUNNING" or "REBALANCING". */
    String state();
}
