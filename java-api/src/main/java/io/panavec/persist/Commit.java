package io.panavec.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One commit of an index directory in the making: each component writes its files of the new generation
 * through {@link #write} (a {@link CheckedFile}, recorded in the next manifest) or {@link #keep}s the file the
 * previous manifest names; then {@link #publish} switches the manifest and removes the previous version's
 * files that the new one no longer names. Used by one writer at a time.
 */
public final class Commit {
    private final Path dir;
    private final long generation;
    private final Manifest previous;
    private Manifest next;
    private final Set<String> named = new HashSet<>();
    private final List<Runnable> onPublish = new ArrayList<>();

    public Commit(Path dir, Manifest previous) throws IOException {
        this.dir = dir;
        this.previous = previous;
        this.generation = previous.get(ManifestKey.GENERATION).orElse(-1L) + 1;
        this.next = previous.with(ManifestKey.GENERATION, generation);
    }

    public Path dir() {
        return dir;
    }

    public long generation() {
        return generation;
    }

    /** The manifest this commit replaces. */
    public Manifest previous() {
        return previous;
    }

    /** A file name of this generation: {@code <stem>-<generation, 6 digits>.<extension>}. */
    public String name(String stem, String extension) {
        return String.format("%s-%06d.%s", stem, generation, extension);
    }

    /** Writes a component file of this generation ({@code <stem>-<generation>.<extension>}) and records it. */
    public void write(ManifestKey.FileKeys keys, String stem, String extension, CheckedFile.Writer writer) throws IOException {
        CheckedFile.Stamp stamp = CheckedFile.write(dir, name(stem, extension), writer);
        named.add(stamp.name());
        next = next.without(keys).with(keys, stamp);
    }

    /** Keeps the component file the previous manifest names (its entries carry over). */
    public void keep(ManifestKey.FileKeys keys) throws IOException {
        named.add(previous.require(keys.file()));
    }

    /** Records a plain entry of the next manifest. */
    public <T> void put(ManifestKey<T> key, T value) {
        next = next.with(key, value);
    }

    /** Records a file this commit created by other means (named by {@code key}). */
    public void putFile(ManifestKey<String> key, String name) {
        named.add(CheckedFile.requirePlainName(name));
        next = next.with(key, name);
    }

    /** Drops a component file from the next manifest (its previous version is removed on publish). */
    public void remove(ManifestKey.FileKeys keys) {
        next = next.without(keys);
    }

    /** Drops a plain entry from the next manifest. */
    public void remove(ManifestKey<?> key) {
        next = next.without(key);
    }

    /** Runs {@code action} once the next manifest is switched in (not if the switch fails). */
    public void onPublish(Runnable action) {
        onPublish.add(action);
    }

    /** The manifest being built. */
    public Manifest next() {
        return next;
    }

    /**
     * Switches the manifest atomically, runs the publish actions, then removes the files the previous
     * manifest named that this one does not. Returns the new manifest.
     */
    public Manifest publish() throws IOException {
        CheckedFile.syncDirectory(dir);
        next.write(dir);
        onPublish.forEach(Runnable::run);
        List<String> old = new ArrayList<>();
        for (ManifestKey.FileKeys keys : ManifestKey.COMPONENT_FILES) {
            previous.get(keys.file()).ifPresent(old::add);
        }
        previous.get(ManifestKey.ATTRIBUTES_LOG).ifPresent(old::add);
        previous.get(ManifestKey.DELETED_LOG).ifPresent(old::add);
        for (String name : old) {
            if (!named.contains(name)) {
                Files.deleteIfExists(dir.resolve(CheckedFile.requirePlainName(name)));
            }
        }
        return next;
    }
}
