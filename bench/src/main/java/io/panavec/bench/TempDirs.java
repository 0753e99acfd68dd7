package io.panavec.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletes the temporary directories the engines build their indexes in. Stateless, thread-safe. */
public final class TempDirs {
    private TempDirs() {}

    public static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Total size of the regular files under {@code dir} whose names pass {@code nameFilter}. */
    public static long size(Path dir, java.util.function.Predicate<String> nameFilter) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            long sum = 0;
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                if (nameFilter.test(p.getFileName().toString())) {
                    sum += Files.size(p);
                }
            }
            return sum;
        }
    }
}
