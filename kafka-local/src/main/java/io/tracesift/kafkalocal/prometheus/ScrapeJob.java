package io.tracesift.kafkalocal.prometheus;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One Prometheus scrape job: its name (the {@code job} label), the metrics path and {@code host:port} targets,
 * scraped every second.
 */
public record ScrapeJob(String name, String metricsPath, List<String> targets) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9.\\-]+:[0-9]{1,5}");

    public ScrapeJob {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Scrape job name " + name + " must match " + NAME);
        }
        if (!metricsPath.startsWith("/") || metricsPath.contains("\"") || metricsPath.contains("\n")) {
            throw new IllegalArgumentException("Metrics path " + metricsPath + " must start with / and hold no quotes");
        }
        targets = List.copyOf(targets);
        for (String target : targets) {
            if (!TARGET.matcher(target).matches()) {
                throw new IllegalArgumentException("Scrape target " + target + " must be host:port");
            }
        }
    }

    public static ScrapeJob of(String name, String metricsPath, List<String> targets) {
        return new ScrapeJob(name, metricsPath, targets);
    }
}
