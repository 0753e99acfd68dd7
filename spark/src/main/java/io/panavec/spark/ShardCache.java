package io.panavec.spark;

import io.panavec.PanavecIndex;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The executor's local copies of shards, opened memory-mapped and kept open for the life of the executor
 * JVM, so a shard is copied from the shared file system once per executor and reused by every later task
 * and job (SQUASH's warm containers). A copy goes to a temporary directory, every file is checked against
 * the manifest's size and CRC32C, and only then is the directory renamed into place and opened: a
 * half-copied or corrupt shard is never searched. Keys carry the manifest's version, so a rebuilt index at
 * the same path is copied afresh.
 *
 * <p>Thread-safe: concurrent tasks asking for one shard wait for a single copy. The cache root is
 * {@code panavec.spark.cache.dir} (a system property) or the JVM's temporary directory, one subdirectory per
 * JVM (an index directory is opened by one process at a time).
 */
final class ShardCache {
    private static final Map<String, CompletableFuture<PanavecIndex>> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong COPIES = new AtomicLong();
    private static final AtomicLong BYTES_COPIED = new AtomicLong();
    private static final AtomicLong HITS = new AtomicLong();
    private static volatile java.nio.file.Path root;

    private ShardCache() {}

    /** The open index of {@code shard} of the index at {@code path} (copying it here first if needed). */
    static PanavecIndex open(HadoopConf conf, String path, ShardManifest manifest, ShardManifest.Shard shard, int threads) {
        String key = path + "|" + manifest.version() + "|" + shard.dir();
        CompletableFuture<PanavecIndex> mine = new CompletableFuture<>();
        CompletableFuture<PanavecIndex> existing = OPEN.putIfAbsent(key, mine);
        if (existing != null) {
            HITS.incrementAndGet();
            return existing.join();
        }
        try {
            mine.complete(copyAndOpen(conf, path, manifest, shard, threads));
        } catch (IOException | RuntimeException e) {
            OPEN.remove(key, mine); // a later task retries the copy
            mine.completeExceptionally(e);
        }
        return mine.join();
    }

    private static PanavecIndex copyAndOpen(HadoopConf conf, String path, ShardManifest manifest, ShardManifest.Shard shard, int threads)
            throws IOException {
        java.nio.file.Path target = root().resolve(Integer.toHexString(path.hashCode()) + "-" + manifest.version()).resolve(shard.dir());
        if (!Files.isDirectory(target)) {
            Path remote = new Path(new Path(path), shard.dir());
            FileSystem fs = conf.fileSystem(remote);
            Files.createDirectories(target.getParent());
            java.nio.file.Path tmp = Files.createTempDirectory(target.getParent(), shard.dir() + ".copy-");
            try {
                for (ShardManifest.FileEntry f : shard.files()) {
                    java.nio.file.Path local = tmp.resolve(f.name());
                    Files.createDirectories(local.getParent());
                    fs.copyToLocalFile(false, new Path(remote, f.name()), new Path(local.toUri()), true);
                    long size = Files.size(local);
                    if (size != f.bytes() || ShardBuilder.crc32c(local) != f.crc32c()) {
                        throw new IOException(remote + "/" + f.name() + ": " + size + " bytes, CRC32C mismatch or truncated against the manifest ("
                                + f.bytes() + " bytes): the shard is corrupt");
                    }
                    BYTES_COPIED.addAndGet(size);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                COPIES.incrementAndGet();
            } finally {
                ShardBuilder.deleteRecursively(tmp);
            }
        }
        return PanavecIndex.open(target, threads);
    }

    private static java.nio.file.Path root() throws IOException {
        java.nio.file.Path r = root;
        if (r == null) {
            synchronized (ShardCache.class) {
                if (root == null) {
                    String base = System.getProperty("panavec.spark.cache.dir", System.getProperty("java.io.tmpdir"));
                    root = Files.createDirectories(java.nio.file.Path.of(base, "panavec-shard-cache-" + ProcessHandle.current().pid()));
                }
                r = root;
            }
        }
        return r;
    }

    /** Shards copied into this JVM's cache so far. */
    static long copies() {
        return COPIES.get();
    }

    static long bytesCopied() {
        return BYTES_COPIED.get();
    }

    /** Opens answered from the cache without a copy. */
    static long hits() {
        return HITS.get();
    }

    /** Closes every cached shard and deletes the local copies (tests; an executor's cache lives as long as it does). */
    static synchronized void clear() {
        for (CompletableFuture<PanavecIndex> f : OPEN.values()) {
            try {
                if (f.isDone() && !f.isCompletedExceptionally()) f.join().close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        OPEN.clear();
        try {
            if (root != null) ShardBuilder.deleteRecursively(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        root = null;
    }
}
