package io.panavec;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The manifest of an index directory: which files make up the index and how to read them. It is the
 * directory's single commit point: new files are written first, then the manifest is replaced atomically
 * (write a temporary file, fsync it, rename over the old one, fsync the directory), so a crash at any
 * moment leaves either the previous manifest or the new one, never a mix.
 *
 * <p>Immutable and thread-safe.
 */
public record Manifest(Map<String, String> entries) {
    public static final String FILE_NAME = "manifest.properties";
    public static final int FORMAT_VERSION = 1;

    public Manifest {
        entries = Map.copyOf(entries);
    }

    public String require(String key) throws IOException {
        String v = entries.get(key);
        if (v == null) {
            throw new IOException("index manifest has no '" + key + "' entry");
        }
        return v;
    }

    public String get(String key, String fallback) {
        return entries.getOrDefault(key, fallback);
    }

    public Manifest with(String key, String value) {
        Map<String, String> m = new TreeMap<>(entries);
        m.put(key, value);
        return new Manifest(m);
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
        String version = manifest.require("format.version");
        if (!version.equals(Integer.toString(FORMAT_VERSION))) {
            throw new IOException(file + ": manifest format version " + version + " is not supported (this build reads " + FORMAT_VERSION + ")");
        }
        return manifest;
    }

    /** Atomically replaces {@code dir/manifest.properties} with this manifest. */
    public void write(Path dir) throws IOException {
        Properties p = new Properties();
        entries.forEach(p::setProperty);
        p.setProperty("format.version", Integer.toString(FORMAT_VERSION));
        StringWriter w = new StringWriter();
        p.store(w, "panavec index manifest");
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.writeString(tmp, w.toString(), StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(dir + ": the file system cannot replace files atomically", e);
        }
        syncDirectory(dir);
    }

    /** Makes a rename in {@code dir} durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories; the rename is then as durable as they make it.
        }
    }
}
