package io.panavec.spark;

import io.panavec.Metric;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The commit point of a sharded index: {@code <path>/_manifest} names, per shard, the one directory (of the
 * task attempt that won) holding its panavec index, every file in it with its size and CRC32C, and the
 * shard's {@link ShardSummary}. Shard directories are written first, each by its own task attempt under a
 * unique name; the driver then writes the manifest to a temporary name and renames it into place, so a
 * reader sees the previous index or the complete new one, and a directory of a failed, retried or
 * speculative attempt is never named (the driver deletes such orphans after the switch).
 *
 * <p>Text (Java properties) ending in a {@code checksum} entry, the CRC32C of the lines before it: a torn or
 * edited manifest is refused. Immutable and serializable (it is broadcast to the executors).
 */
record ShardManifest(int dimension, Metric metric, String spec, String schema, String partitioning, List<Shard> shards)
        implements Serializable {
    static final String FILE_NAME = "_manifest";
    static final int FORMAT_VERSION = 1;

    record FileEntry(String name, long bytes, int crc32c) implements Serializable {}

    /** One shard: its directory under the index path (null when it received no rows), files and summary. */
    record Shard(int index, String dir, List<FileEntry> files, ShardSummary summary) implements Serializable {
        long rows() {
            return summary.rows();
        }

        long bytes() {
            return files.stream().mapToLong(FileEntry::bytes).sum();
        }
    }

    ShardManifest {
        shards = List.copyOf(shards);
    }

    /** A fingerprint of this version of the index, so caches never mix shards of two builds at one path. */
    String version() {
        return Integer.toHexString(text().hashCode()) + "-" + Integer.toUnsignedString(crc(text()), 16);
    }

    String text() {
        Map<String, String> p = new TreeMap<>();
        p.put("format.version", Integer.toString(FORMAT_VERSION));
        p.put("dimension", Integer.toString(dimension));
        p.put("metric", metric.name());
        p.put("spec", spec);
        p.put("schema", schema);
        p.put("partitioning", partitioning);
        p.put("shards", Integer.toString(shards.size()));
        for (Shard s : shards) {
            String k = String.format("shard.%05d.", s.index());
            ShardSummary sum = s.summary();
            p.put(k + "rows", Long.toString(sum.rows()));
            if (s.dir() != null) {
                p.put(k + "dir", s.dir());
                StringBuilder files = new StringBuilder();
                for (FileEntry f : s.files()) {
                    if (!files.isEmpty()) files.append(';');
                    files.append(f.name()).append(':').append(f.bytes()).append(':').append(Integer.toUnsignedString(f.crc32c()));
                }
                p.put(k + "files", files.toString());
                p.put(k + "centroid", floats(sum.centroid()));
                p.put(k + "radius", Double.toString(sum.radius()));
            }
            sum.attributes().forEach((name, a) -> {
                String ak = k + "attr." + name + ".";
                p.put(ak + "count", Long.toString(a.count()));
                p.put(ak + "min", Double.toString(a.min()));
                p.put(ak + "max", Double.toString(a.max()));
                if (a.values() != null) p.put(ak + "values", String.join("\u001f", a.values()));
            });
        }
        StringBuilder out = new StringBuilder("# panavec sharded index manifest\n");
        p.forEach((key, value) -> out.append(escape(key, true)).append('=').append(escape(value, false)).append('\n'));
        return out.toString();
    }

    /** Writes {@code <root>/_manifest} atomically (temporary file, then rename over any previous one). */
    void write(FileSystem fs, Path root) throws IOException {
        String body = text();
        String all = body + "checksum=" + Integer.toUnsignedString(crc(body)) + "\n";
        Path tmp = new Path(root, FILE_NAME + ".tmp-" + UUID.randomUUID());
        try (FSDataOutputStream out = fs.create(tmp, false)) {
            out.write(all.getBytes(StandardCharsets.UTF_8));
            out.hsync();
        }
        Path target = new Path(root, FILE_NAME);
        try {
            if (!fs.exists(target)) {
                if (!fs.rename(tmp, target)) {
                    throw new IOException("could not rename " + tmp + " to " + target);
                }
            } else { // FileContext renames over an existing file atomically where the file system can (HDFS, local)
                FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(tmp, target, Options.Rename.OVERWRITE);
            }
        } catch (IOException | RuntimeException e) {
            fs.delete(tmp, false);
            throw e;
        }
    }

    static boolean exists(FileSystem fs, Path root) throws IOException {
        return fs.exists(new Path(root, FILE_NAME));
    }

    static ShardManifest read(FileSystem fs, Path root) throws IOException {
        Path file = new Path(root, FILE_NAME);
        if (!fs.exists(file)) {
            throw new IOException(root + " holds no sharded panavec index (no " + FILE_NAME + ")");
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (FSDataInputStream in = fs.open(file)) {
            in.transferTo(buf);
        }
        String all = buf.toString(StandardCharsets.UTF_8);
        int at = all.lastIndexOf("checksum=");
        if (at < 0) {
            throw new IOException(file + ": no checksum: the manifest is torn or not a panavec manifest");
        }
        String body = all.substring(0, at);
        long want = Long.parseLong(all.substring(at + "checksum=".length()).trim());
        if (Integer.toUnsignedLong(crc(body)) != want) {
            throw new IOException(file + ": checksum mismatch: the manifest is corrupt");
        }
        Properties p = new Properties();
        p.load(new StringReader(body));
        String version = require(p, "format.version", file);
        if (!version.equals(Integer.toString(FORMAT_VERSION))) {
            throw new IOException(file + ": format version " + version + " is not supported (this build reads " + FORMAT_VERSION + ")");
        }
        int dimension = Integer.parseInt(require(p, "dimension", file));
        int n = Integer.parseInt(require(p, "shards", file));
        List<Shard> shards = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String k = String.format("shard.%05d.", i);
            long rows = Long.parseLong(require(p, k + "rows", file));
            String dir = p.getProperty(k + "dir");
            List<FileEntry> files = new ArrayList<>();
            float[] centroid = new float[dimension];
            double radius = 0;
            if (dir != null) {
                for (String f : require(p, k + "files", file).split(";")) {
                    String[] parts = f.split(":");
                    files.add(new FileEntry(parts[0], Long.parseLong(parts[1]), Integer.parseUnsignedInt(parts[2])));
                }
                centroid = floats(require(p, k + "centroid", file), dimension, file);
                radius = Double.parseDouble(require(p, k + "radius", file));
            }
            Map<String, ShardSummary.AttributeStats> attrs = new TreeMap<>();
            String prefix = k + "attr.";
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith(prefix) && key.endsWith(".count")) {
                    String name = key.substring(prefix.length(), key.length() - ".count".length());
                    String ak = prefix + name + ".";
                    String values = p.getProperty(ak + "values");
                    attrs.put(name, new ShardSummary.AttributeStats(Long.parseLong(p.getProperty(key)),
                            Double.parseDouble(require(p, ak + "min", file)), Double.parseDouble(require(p, ak + "max", file)),
                            values == null ? null : new TreeSet<>(values.isEmpty() ? List.of() : List.of(values.split("\u001f")))));
                }
            }
            shards.add(new Shard(i, dir, files, new ShardSummary(rows, centroid, radius, attrs)));
        }
        return new ShardManifest(dimension, Metric.valueOf(require(p, "metric", file)), require(p, "spec", file),
                require(p, "schema", file), require(p, "partitioning", file), shards);
    }

    long rows() {
        return shards.stream().mapToLong(Shard::rows).sum();
    }

    private static String require(Properties p, String key, Path file) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException(file + ": no '" + key + "' entry");
        }
        return v;
    }

    private static int crc(String s) {
        CRC32C c = new CRC32C();
        c.update(s.getBytes(StandardCharsets.UTF_8));
        return (int) c.getValue();
    }

    /** Properties escaping (as Properties.store does), without its date comment so the text is deterministic. */
    private static String escape(String s, boolean key) {
        Properties one = new Properties();
        one.setProperty(key ? s : "k", key ? "" : s);
        StringWriter w = new StringWriter();
        try {
            one.store(w, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String line = w.toString().lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        return key ? line.substring(0, line.length() - 1) : line.substring(2);
    }

    private static String floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static float[] floats(String s, int dimension, Path file) throws IOException {
        byte[] bytes = Base64.getDecoder().decode(s);
        if (bytes.length != dimension * 4) {
            throw new IOException(file + ": a centroid of " + bytes.length / 4 + " floats, the dimension is " + dimension);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) v[i] = b.getFloat();
        return v;
    }
}
