package io.tracesift.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderTreeTest {

    @TempDir
    Path dir;

    @Test
    void deletesTheFolderWithEverythingBelowItAndNothingBeside() throws IOException {
        Path root = Files.createDirectories(dir.resolve("run/kafka/__cluster_metadata-0"));
        Files.writeString(root.resolve("00000000000000000000.log"), "x");
        Files.writeString(dir.resolve("run/state.txt"), "y");
        Path beside = Files.writeString(dir.resolve("beside.txt"), "z");

        FolderTree.delete(dir.resolve("run"));

        assertThat(dir.resolve("run")).doesNotExist();
        assertThat(beside).exists();
    }

    @Test
    void aFolderThatDoesNotExistIsNothingToDo() {
        assertThatCode(() -> FolderTree.delete(dir.resolve("never-made"))).doesNotThrowAnyException();
    }
}
