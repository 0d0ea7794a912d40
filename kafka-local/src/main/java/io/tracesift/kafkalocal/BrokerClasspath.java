package io.tracesift.kafkalocal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Chooses the broker JVM's class path from a larger one (a test JVM's, or the app's fat jar).
 * When every jar this module needs at run time (listed at build time in {@code broker-classpath.txt}) is on it,
 * the broker gets exactly those, in that order: the same class path in every module's tests, so one class-data
 * archive serves them all. Otherwise it gets every jar given. Class folders are always left out: Kafka ships as
 * jars, and class-data sharing refuses folders.
 */
final class BrokerClasspath {
    private static final String MODULE_JARS = "broker-classpath.txt";

    private BrokerClasspath() {
    }

    static String of(String classpath) {
        List<String> jars = Stream.of(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank() && !Files.isDirectory(Path.of(entry)))
                .toList();
        return moduleJars()
                .flatMap(needed -> select(needed, jars))
                .orElse(jars)
                .stream()
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static Optional<List<String>> select(List<String> neededNames, List<String> jars) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String jar : jars) {
            byName.putIfAbsent(fileName(jar), jar);
        }
        List<String> selected = neededNames.stream().map(byName::get).toList();
        return selected.contains(null) ? Optional.empty() : Optional.of(selected);
    }

    private static Optional<List<String>> moduleJars() {
        try (InputStream in = BrokerClasspath.class.getResourceAsStream(MODULE_JARS)) {
            if (in == null) {
                return Optional.empty();
            }
            List<String> names = Stream.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(","))
                    .map(String::trim)
                    .filter(entry -> !entry.isEmpty())
                    .map(BrokerClasspath::fileName)
                    .toList();
            return names.isEmpty() ? Optional.empty() : Optional.of(names);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + MODULE_JARS + " from the kafka-local jar", e);
        }
    }

    private static String fileName(String path) {
        return path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf(File.separatorChar)) + 1);
    }
}
