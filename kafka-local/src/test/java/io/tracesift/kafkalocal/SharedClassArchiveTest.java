package io.tracesift.kafkalocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedClassArchiveTest {
    @TempDir
    Path dir;

    @Test
    void aClassFolderOnTheClassPathRulesSharingOut() throws IOException {
        String classpath = jar("a.jar") + File.pathSeparator + Files.createDirectories(dir.resolve("classes"));

        assertThat(SharedClassArchive.forClasspath(classpath, dir.resolve("cache"))).isEmpty();
    }

    @Test
    void withoutAnArchiveTheBrokerRecordsOneAndWithItUsesIt() throws IOException {
        String classpath = jar("a.jar") + File.pathSeparator + jar("b.jar");
        SharedClassArchive first = SharedClassArchive.forClasspath(classpath, dir.resolve("cache")).orElseThrow();

        assertThat(first.recording()).isTrue();
        assertThat(first.jvmOptions()).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));

        Files.write(first.archive(), new byte[] {1});
        SharedClassArchive second = SharedClassArchive.forClasspath(classpath, dir.resolve("cache")).orElseThrow();

        assertThat(second.recording()).isFalse();
        assertThat(second.archive()).isEqualTo(first.archive());
        assertThat(second.jvmOptions()).contains("-XX:SharedArchiveFile=" + first.archive(), "-Xshare:auto");
    }

    @Test
    void aChangedJarGetsItsOwnArchive() throws IOException {
        String classpath = jar("a.jar");
        Path before = SharedClassArchive.forClasspath(classpath, dir.resolve("cache")).orElseThrow().archive();
        Files.setLastModifiedTime(Path.of(classpath), FileTime.from(Instant.now().plusSeconds(60)));

        Path after = SharedClassArchive.forClasspath(classpath, dir.resolve("cache")).orElseThrow().archive();

        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void aRecordingThatTheJvmCannotMapIsNeverPublished() throws IOException {
        SharedClassArchive archive = SharedClassArchive.forClasspath(jar("a.jar"), dir.resolve("cache")).orElseThrow();
        String option = archive.jvmOptions().stream().filter(o -> o.startsWith("-XX:ArchiveClassesAtExit="))
                .findFirst().orElseThrow();
        Path recording = Path.of(option.substring(option.indexOf('=') + 1));
        Files.write(recording, new byte[] {'n', 'o', 't', ' ', 'a', 'n', ' ', 'a', 'r', 'c', 'h', 'i', 'v', 'e'});

        archive.publishRecording();

        assertThat(archive.archive()).doesNotExist();
        assertThat(recording).doesNotExist();
    }

    private String jar(String name) throws IOException {
        return Files.write(dir.resolve(name), new byte[0]).toString();
    }
}
