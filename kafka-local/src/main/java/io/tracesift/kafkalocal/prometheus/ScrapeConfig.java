package io.tracesift.kafkalocal.prometheus;

import java.util.List;

/** Renders prometheus.yml: scrape and evaluate every second, the given jobs, nothing remote. */
final class ScrapeConfig {
    private ScrapeConfig() {
    }

    static String render(List<ScrapeJob> jobs) {
        StringBuilder yaml = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                """);
        if (jobs.isEmpty()) {
            yaml.setLength(yaml.length() - 1);
            yaml.append(" []\n");
        }
        for (ScrapeJob job : jobs) {
            yaml.append("  - job_name: \"").append(job.name()).append("\"\n")
                    .append("    metrics_path: \"").append(job.metricsPath()).append("\"\n")
                    .append("    static_configs:\n")
                    .append("      - targets: [");
            for (int i = 0; i < job.targets().size(); i++) {
                yaml.append(i == 0 ? "" : ", ").append('"').append(job.targets().get(i)).append('"');
            }
            yaml.append("]\n");
        }
        return yaml.toString();
    }
}
