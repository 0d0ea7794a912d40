package io.tracesift.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real helm binary that {@code .ci/install-helm} puts at {@code .tools/helm} (or {@code -Dtracesift.helm=PATH}).
 * Helm's cache and config go to a folder under {@code target/}, not the user's home.
 */
final class Helm {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path binary;
    private final Path home;

    private Helm(Path binary, Path home) {
        this.binary = binary;
        this.home = home;
    }

    /** @throws AssertionError when the binary is missing, saying how to install it */
    static Helm locate() {
        String configured = System.getProperty("tracesift.helm");
        Path binary = configured != null ? Path.of(configured) : RepositoryPaths.root().resolve(".tools/helm");
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("helm not found at " + binary + ": run .ci/install-helm (it puts helm v4 at "
                    + ".tools/helm) or pass -Dtracesift.helm=/path/to/helm");
        }
        return new Helm(binary, Path.of("target", "helm-home").toAbsolutePath());
    }

    /** Runs {@code helm <arguments>} and returns its exit code and combined output. */
    Result run(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("HELM_CACHE_HOME", home.resolve("cache").toString());
        env.put("HELM_CONFIG_HOME", home.resolve("config").toString());
        env.put("HELM_DATA_HOME", home.resolve("data").toString());
        try {
            Process process = builder.start();
            // read before waiting: a full pipe would block helm
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("helm " + arguments + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + binary + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running helm", e);
        }
    }

    record Result(int exitCode, String output) {
        Result assertSuccess(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " failed with exit code " + exitCode + ":\n" + output);
            }
            return this;
        }
    }
}
