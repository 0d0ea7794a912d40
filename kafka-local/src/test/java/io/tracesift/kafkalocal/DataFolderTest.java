package io.tracesift.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataFolderTest {
    @TempDir
    Path root;

    @Test
    void aNewFolderIsCreatedAndNeedsFormatting() {
        DataFolder folder = new DataFolder(root.resolve("new/kafka"));

        assertThat(folder.prepare()).isFalse();
        assertThat(folder.logDir()).isDirectory();
    }

    @Test
    void aFolderLeftByAFailedFirstStartIsStillOurs() throws IOException {
        Files.writeString(root.resolve("server.properties"), "node.id=1");
        Files.writeString(root.resolve("broker.log"), "started");
        Files.createDirectories(root.resolve("data"));

        assertThat(new DataFolder(root).prepare()).isFalse();
    }

    @Test
    void aFormattedFolderIsReused() throws IOException {
        writeMeta("version=1\ncluster.id=" + "MkU3OEVBNTcwNTJENDM2Qg" + "\nnode.id=1\n");

        assertThat(new DataFolder(root).prepare()).isTrue();
    }

    @Test
    void aFolderWithOtherFilesIsRefusedWithoutSuggestingToDeleteIt() throws IOException {
        Files.writeString(root.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> new DataFolder(root).prepare())
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(root + " is not a Kafka data folder made by tracesift (it contains notes.txt)")
                .hasMessageContaining("--data-dir")
                .hasMessageNotContaining("rm -rf");
        assertThat(root.resolve("data")).doesNotExist();
    }

    @Test
    void aFileInsteadOfAFolderIsRefused() throws IOException {
        Path file = Files.writeString(root.resolve("kafka"), "x");

        assertThatThrownBy(() -> new DataFolder(file).prepare())
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(file + " is a file, not a folder");
    }

    @Test
    void kafkaDataWithoutMetaPropertiesIsDamaged() throws IOException {
        Files.createDirectories(root.resolve("data/otlp_spans-0"));

        assertThatThrownBy(() -> new DataFolder(root).prepare())
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("The Kafka data folder " + root + " is damaged")
                .hasMessageContaining("holds files but no meta.properties")
                .hasMessageContaining("rm -rf " + root);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "version=0\\ncluster.id=MkU3OEVBNTcwNTJENDM2Qg\\nbroker.id=1 | has version '0'",
            "cluster.id=MkU3OEVBNTcwNTJENDM2Qg\\nnode.id=1                 | has version ''",
            "version=1\\nnode.id=1                                          | invalid cluster.id ''",
            "version=1\\ncluster.id=not-a-uuid\\nnode.id=1                  | invalid cluster.id 'not-a-uuid'",
            "version=1\\ncluster.id=MkU3OEVBNTcwNTJENDM2Qg\\nnode.id=3      | belongs to node.id '3'",
            "\\u0000\\u00ff garbage                                         | has version ''",
    })
    void aDamagedOrForeignMetaPropertiesNamesTheFolderAndTheReset(String meta, String reason) throws IOException {
        writeMeta(meta.replace("\\n", "\n").replace("\\u0000", "\u0000").replace("\\u00ff", "\u00ff"));

        assertThatThrownBy(() -> new DataFolder(root).prepare())
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("The Kafka data folder " + root + " is damaged")
                .hasMessageContaining(reason)
                .hasMessageContaining("Reset it with `rm -rf " + root + "`");
    }

    @Test
    void formattingWritesMetaPropertiesForNodeOne() throws IOException {
        DataFolder folder = new DataFolder(root);
        folder.prepare();
        ServerProperties.write(ServerProperties.of("127.0.0.1", 19092, 19093, folder.logDir(), Map.of()),
                folder.serverProperties());

        folder.format();

        assertThat(Files.readString(folder.logDir().resolve("meta.properties")))
                .contains("node.id=1", "version=1", "cluster.id=");
        assertThat(new DataFolder(root).prepare()).isTrue();
    }

    @Test
    void theLogTailShowsOnlyThisRunsLastLinesAndTheConsole() throws IOException {
        DataFolder folder = new DataFolder(root);
        Files.writeString(folder.brokerLog(), "previous run\n");
        folder.writeLoggingConfig();
        Files.writeString(folder.brokerLog(), IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i)
                .collect(Collectors.joining("\n")));
        Files.writeString(folder.consoleLog(), "Error occurred during initialization of VM\n");

        String tail = folder.logTail(10);

        assertThat(tail).startsWith("line 91\n").contains("line 100", "Error occurred during initialization of VM")
                .doesNotContain("line 90\n", "previous run");
        assertThat(root.resolve("broker-previous.log")).hasContent("previous run");
        assertThat(Files.readString(folder.loggingConfig())).contains("fileName = " + folder.brokerLog());
    }

    private void writeMeta(String content) throws IOException {
        Files.createDirectories(root.resolve("data"));
        Files.writeString(root.resolve("data/meta.properties"), content, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
