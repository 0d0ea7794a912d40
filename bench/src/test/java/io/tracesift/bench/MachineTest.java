package io.tracesift.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineTest {
    @Test
    void nativeAllocatorNamesTheMallocSettingsItStartedWith() {
        assertThat(Machine.nativeAllocator(Map.of("MALLOC_ARENA_MAX", "1", "MALLOC_TRIM_THRESHOLD_", "4294967295",
                "PATH", "/usr/bin")))
                .isEqualTo("native allocator: MALLOC_ARENA_MAX=1 MALLOC_TRIM_THRESHOLD_=4294967295");
    }

    @Test
    void nativeAllocatorSaysWhenGlibcDefaultsApply() {
        assertThat(Machine.nativeAllocator(Map.of("PATH", "/usr/bin")))
                .startsWith("native allocator: glibc defaults")
                .contains("./tracesift sets MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_");
    }
}
