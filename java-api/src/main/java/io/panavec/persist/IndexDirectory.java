package io.panavec.persist;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * How an index directory comes to exist: built whole in a temporary sibling directory, then renamed to its
 * name in one step, so a crash during creation leaves no directory of that name (or the empty one that was
 * there), never a half-created index. Only a new or empty directory is created into: create never removes
 * or overwrites a file it did not write. Stateless and thread-safe.
 */
public final class IndexDirectory {
    private static final String CREATING = ".panavec-creating-";

    private IndexDirectory() {}

    /** Fills a fresh directory with a committed, closed index. */
    @FunctionalInterface
    public interface Builder {
        void buildIn(Path dir) throws IOException;
    }

    /**
     * Creates the index at {@code dir} through {@code builder}, which runs in a temporary sibling; throws
     * before anything is written if {@code dir} exists and is not an empty directory.
     */
    public static void create(Path dir, Builder builder) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        requireNewOrEmpty(target);
        Path parent = target.getParent();
        Files.createDirectories(parent);
        removeAbandoned(parent, target.getFileName().toString());
        Path tmp = parent.resolve("." + target.getFileName() + CREATING + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectory(tmp);
        boolean moved = false;
        try {
            builder.buildIn(tmp);
            CrashPoints.reach("create-rename");
            requireNewOrEmpty(target); // still so: nobody wrote there meanwhile
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE); // rename(2) replaces an empty directory
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(parent + ": the file system cannot rename directories atomically", e);
            }
            moved = true;
            CheckedFile.syncDirectory(parent);
        } finally {
            if (!moved) deleteTree(tmp);
        }
    }

    /** Throws unless {@code dir} does not exist or is an empty directory, naming what it holds. */
    static void requireNewOrEmpty(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " exists and is not a directory");
        }
        if (Files.exists(dir.resolve(Manifest.FILE_NAME))) {
            throw new IOException(dir + " already holds an index; open it with PanavecIndex.open");
        }
        List<String> held = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (held.size() < 5) held.add(p.getFileName().toString());
                else { held.add("..."); break; }
            }
        }
        if (!held.isEmpty()) {
            throw new IOException(dir + " is not empty (" + String.join(", ", held) + "): an index is created only in a new or empty "
                    + "directory, so that no file it did not write is removed or overwritten");
        }
    }

    /**
     * Temporary siblings of {@code name} left by a creating process that no longer runs, and those of its own temporary
     * directory (an index created inside a temporary directory, as {@code panavec build} does: {@code ..name.panavec-creating-...}).
     */
    private static void removeAbandoned(Path parent, String name) throws IOException {
        String prefix = name + CREATING;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent,
                p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().replaceFirst("^\\.+", "").startsWith(prefix))) {
            for (Path p : s) {
                String rest = p.getFileName().toString().replaceFirst("^\\.+", "").substring(prefix.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue; // not one of ours
                }
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
