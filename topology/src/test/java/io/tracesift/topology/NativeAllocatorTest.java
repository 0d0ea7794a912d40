package io.tracesift.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {
    @Test
    void describesTheMallocSettingsTheProcessStartedWith() {
        Map<String, String> env = Map.of("MALLOC_ARENA_MAX", "1", "MALLOC_TRIM_THRESHOLD_", "4294967295", "PATH", "/bin");
        assertThat(NativeAllocator.describe(env))
                .isEqualTo("native allocator: MALLOC_ARENA_MAX=1 MALLOC_TRIM_THRESHOLD_=4294967295");
        assertThat(NativeAllocator.arenasAtDefault(env)).isFalse();
    }

    @Test
    void saysWhenGlibcDefaultsApplyAndWhatToSet() {
        Map<String, String> env = Map.of("PATH", "/bin");
        assertThat(NativeAllocator.describe(env)).isEqualTo("native allocator: glibc defaults "
                + "(none of MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ set)");
        assertThat(NativeAllocator.arenasAtDefault(env)).isTrue();
        assertThat(NativeAllocator.advice())
                .isEqualTo("MALLOC_ARENA_MAX=1 MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=4294967295");
    }
}
