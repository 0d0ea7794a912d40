package io.tracesift.kafkalocal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A folder with everything below it, such as a broker's data folder or a benchmark run's folder. */
public final class FolderTree {

    private FolderTree() {
    }

    /**
     * Deletes the folder and everything below it, deepest first; nothing when it does not exist.
     *
     * @throws UncheckedIOException naming the folder, at the first file that cannot be deleted
     */
    public static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the folder " + root, e);
        }
    }
}
