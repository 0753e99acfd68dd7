package io.panavec.persist;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The manifest of an index directory: which files make up the index and how to read them, as
 * {@link ManifestKey typed entries}. It is the directory's single commit point: new files are written
 * first, then the manifest is replaced atomically ({@link CheckedFile#write}), so a crash at any moment
 * leaves either the previous manifest or the new one, never a mix.
 *
 * <p>Immutable and thread-safe.
 */
public record Manifest(Map<String, String> entries) {
    public static final String FILE_NAME = "manifest.properties";
    public static final int FORMAT_VERSION = 1;

    public Manifest {
        entries = Map.copyOf(entries);
    }

    /** A manifest with no entries. */
    public static Manifest empty() {
        return new Manifest(Map.of());
    }

    /** The value of {@code key}; an IOException naming the key when it is missing or unreadable. */
    public <T> T require(ManifestKey<T> key) throws IOException {
        String v = entries.get(key.name());
        if (v == null) {
            throw new IOException("index manifest has no '" + key.name() + "' entry");
        }
        try {
            return key.parse().apply(v);
        } catch (RuntimeException e) {
            throw new IOException("index manifest entry '" + key.name() + "' has a bad value '" + v + "': " + e.getMessage(), e);
        }
    }

    /** The value of {@code key}, or empty when the manifest has none. */
    public <T> Optional<T> get(ManifestKey<T> key) throws IOException {
        return has(key) ? Optional.of(require(key)) : Optional.empty();
    }

    public boolean has(ManifestKey<?> key) {
        return entries.containsKey(key.name());
    }

    public boolean has(ManifestKey.FileKeys file) {
        return has(file.file());
    }

    public <T> Manifest with(ManifestKey<T> key, T value) {
        Map<String, String> m = new TreeMap<>(entries);
        m.put(key.name(), key.format().apply(value));
        return new Manifest(m);
    }

    public Manifest without(ManifestKey<?> key) {
        Map<String, String> m = new TreeMap<>(entries);
        m.remove(key.name());
        return new Manifest(m);
    }

    /** Records a component file as {@link CheckedFile#write} wrote it. */
    public Manifest with(ManifestKey.FileKeys file, CheckedFile.Stamp stamp) {
        return without(file.crc32c()).with(file.file(), stamp.name()).with(file.bytes(), stamp.bytes())
                .with(file.checksum(), stamp.checksum());
    }

    /** Drops the entries of a component file. */
    public Manifest without(ManifestKey.FileKeys file) {
        return without(file.file()).without(file.bytes()).without(file.crc32c()).without(file.checksum());
    }

    /**
     * The file {@code key} names, inside {@code dir}: the one place a manifest's file name becomes a path
     * (a name that is not a plain file name is refused).
     */
    public Path path(Path dir, ManifestKey<String> key) throws IOException {
        String name = require(key);
        try {
            return dir.resolve(CheckedFile.requirePlainName(name));
        } catch (IllegalArgumentException e) {
            throw new IOException(dir + ": manifest entry '" + key.name() + "' is " + e.getMessage(), e);
        }
    }

    /**
     * The path of a component file inside {@code dir}, checked against the length and checksum recorded
     * with it (a manifest of an older version without a length: left to the file's own checks).
     */
    public Path verifiedFile(Path dir, ManifestKey.FileKeys file) throws IOException {
        Path path = path(dir, file.file());
        // Written by CheckedFile: length and whole-file CRC-32C. Manifests of 0.1 recorded no length, and for
        // some files another checksum: those files are checked by their own readers (header and trailer CRCs).
        if (has(file.bytes()) && has(file.checksum())) {
            CheckedFile.verify(path, require(file.bytes()), require(file.checksum()), false);
        } else if (has(file.bytes()) && has(file.crc32c())) { // recorded by an older build
            CheckedFile.verify(path, require(file.bytes()), require(file.crc32c()), true);
        }
        return path;
    }

    /** Reads {@code dir/manifest.properties}, checking its format version. */
    public static Manifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(dir + " is not a panavec index: it has no " + FILE_NAME, e);
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        Manifest manifest = new Manifest(m);
        if (manifest.has(ManifestKey.CHECKSUM)) {
            int stored = manifest.require(ManifestKey.CHECKSUM);
            if (stored != checksum(m)) {
                throw new IOException(file + ": checksum mismatch: the manifest is corrupt");
            }
        } else if (manifest.has(ManifestKey.INDEX_ID)) { // written by a build that seals manifests: the seal was lost
            throw new IOException(file + ": has no '" + ManifestKey.CHECKSUM.name() + "' entry: the manifest is corrupt");
        }
        int version = manifest.require(ManifestKey.FORMAT_VERSION);
        if (version != FORMAT_VERSION) {
            throw new IOException(file + ": manifest format version " + version + " is not supported (this build reads " + FORMAT_VERSION + ")");
        }
        return manifest;
    }

    /**
     * The CRC-32C that seals a manifest's entries: over each entry but the checksum itself as {@code key=value\n}
     * (UTF-8), in key order. Public so tests can forge a consistent manifest the way an attacker could.
     */
    public static int checksum(Map<String, String> entries) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        new TreeMap<>(entries).forEach((k, v) -> {
            if (!k.equals(ManifestKey.CHECKSUM.name())) {
                crc.update((k + "=" + v + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
        return (int) crc.getValue();
    }

    /** Atomically replaces {@code dir/manifest.properties} with this manifest. */
    public void write(Path dir) throws IOException {
        Map<String, String> sealed = new TreeMap<>(entries);
        sealed.put(ManifestKey.FORMAT_VERSION.name(), Integer.toString(FORMAT_VERSION));
        sealed.put(ManifestKey.CHECKSUM.name(), ManifestKey.CHECKSUM.format().apply(checksum(sealed)));
        Properties p = new Properties();
        sealed.forEach(p::setProperty);
        StringWriter w = new StringWriter();
        p.store(w, "panavec index manifest");
        CheckedFile.write(dir, FILE_NAME, tmp -> Files.writeString(tmp, w.toString(), StandardCharsets.UTF_8));
    }
}
