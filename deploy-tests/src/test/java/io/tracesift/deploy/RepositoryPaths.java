package io.tracesift.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the deployment artefacts live in the checkout (Failsafe passes the root; an IDE run finds it). */
final class RepositoryPaths {
    private RepositoryPaths() {
    }

    static Path root() {
        String configured = System.getProperty("tracesift.repo.root");
        Path start = Path.of(configured != null ? configured : System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("helm/tracesift"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No helm/tracesift folder in " + start + " or above it");
    }

    static Path chart() {
        return root().resolve("helm/tracesift");
    }

    static Path dashboards() {
        return chart().resolve("dashboards");
    }
}
