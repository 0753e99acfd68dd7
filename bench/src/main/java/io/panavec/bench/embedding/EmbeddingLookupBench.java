package io.panavec.bench.embedding;

import io.panavec.embedding.EmbeddingTable;
import io.panavec.embedding.Residency;
import net.openhft.chronicle.map.ChronicleMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Batch look-ups of an embedding table, side by side: panavec's {@link EmbeddingTable} ({@code panavec-<encoding>}:
 * {@code lookup(keys, MemorySegment)}, decoded into a native buffer) against a {@code HashMap<Long, float[]>} (each
 * vector copied into a float[] batch buffer) and a plain persisted Chronicle Map {@code <Long, byte[]>} of the
 * float32 bytes ({@code getUsing} into a reused array, then converted into the float[] batch buffer). One
 * operation = one batch of {@link #batch} keys; keys/s = ops/s x batch. {@code panavec-<encoding>} reads the rows
 * from the mapped file (the default, {@link Residency#MAPPED}); {@code panavec-<encoding>-hugepages} opens the table
 * with {@link Residency#HUGE_PAGES} (the opt-in copy of the rows in 2 MiB pages).
 *
 * <p>Keys: {@code uniform} over the table's keys, or {@code zipf} (exponent 1, ranks scattered over the keys by a
 * fixed permutation: a few hot keys, a long tail). The tables are prepared by {@link EmbeddingLookupReport} in
 * {@link #cacheDir} ({@code <table>-<encoding>/}, {@code <table>-chronicle.cmap}); the HashMap is filled here.
 */
@State(Scope.Benchmark)
public class EmbeddingLookupBench {
    static final int RING = 1 << 20; // pre-drawn keys, cycled batch after batch
    static final String HUGE_PAGES_SUFFIX = "-hugepages";

    @Param({"wordnet"})
    public String table;

    /** The table's data path (wordnet-minilm directory, or the token file prefix). */
    @Param("")
    public String path;

    @Param("")
    public String cacheDir;

    @Param({"panavec-f32", "panavec-int8", "hashmap", "chronicle"})
    public String store;

    @Param({"1", "64", "4096"})
    public int batch;

    @Param({"uniform", "zipf"})
    public String keys;

    private int dim;
    private long[] ring;
    private int next;
    private EmbeddingTable panavec;
    private Map<Long, float[]> heap;
    private ChronicleMap<Long, byte[]> chronicle;
    private byte[] bytes;
    private Arena arena;
    private MemorySegment nativeOut;
    private float[] heapOut;
    private long[] batchKeys;
    private long[] faultsAtStart;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        long[] allKeys;
        try (KeyedTable source = KeyedTable.open(table, Path.of(path))) {
            dim = source.dimension();
            allKeys = source.keys().clone();
            ring = keys.equals("zipf") ? zipf(source.keys(), RING, 11) : uniform(source.keys(), RING, 11);
            Path cache = Path.of(cacheDir);
            if (store.startsWith("panavec-")) {
                String encoding = store.substring("panavec-".length());
                boolean huge = encoding.endsWith(HUGE_PAGES_SUFFIX);
                if (huge) encoding = encoding.substring(0, encoding.length() - HUGE_PAGES_SUFFIX.length());
                panavec = EmbeddingTable.openReadOnly(cache.resolve(table + "-" + encoding), huge ? Residency.HUGE_PAGES : Residency.MAPPED);
            } else if (store.equals("hashmap")) {
                heap = new HashMap<>(source.size() * 2);
                for (int i = 0; i < source.size(); i++) heap.put(source.keys()[i], source.file().read(i));
            } else if (store.equals("chronicle")) {
                chronicle = EmbeddingLookupReport.chronicle(cache.resolve(table + "-chronicle.cmap"), source.size(), dim);
                bytes = new byte[dim * Float.BYTES];
            } else {
                throw new IllegalArgumentException("unknown store " + store);
            }
        }
        arena = Arena.ofShared();
        nativeOut = arena.allocate((long) batch * dim * Float.BYTES, 64);
        heapOut = new float[batch * dim];
        batchKeys = new long[batch];
        touchEveryKey(allKeys);
        faultsAtStart = PageFaults.now();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        tearDownTo(Path.of(cacheDir).resolve(PageFaults.fileName(table)));
    }

    /** Records this trial's page faults in {@code faults}, then closes what setup opened. */
    void tearDownTo(Path faults) throws IOException {
        PageFaults.appendLine(faults, store, batch, keys, faultsAtStart, PageFaults.now());
        if (panavec != null) panavec.close();
        if (chronicle != null) chronicle.close();
        arena.close();
    }

    /**
     * One untimed look-up of every key, through the store's own path: every page a timed look-up can touch (rows,
     * vocabulary, Chronicle's segments and entries) is then mapped into this process, so the iterations measure
     * look-ups, not page faults. (A page the OS evicts later faults again: the report lists the faults counted
     * from here to the end of the trial.)
     */
    private void touchEveryKey(long[] all) {
        long[] k = new long[batch];
        double sum = 0;
        for (int at = 0; at < all.length; at += batch) {
            int from = Math.max(0, Math.min(at, all.length - batch)); // the last window ends at the last key
            for (int i = 0; i < batch; i++) k[i] = all[Math.min(from + i, all.length - 1)];
            sum += lookupBatch(k);
        }
        if (Double.isNaN(sum)) System.out.println("NaN in the table"); // keeps the pass from being optimized away
    }

    /** The next batch of the ring (also for {@link EmbeddingLookupInterleaved}, which times this state's look-ups itself). */
    long[] nextBatch() {
        if (next + batch > ring.length) next = 0;
        System.arraycopy(ring, next, batchKeys, 0, batch);
        next += batch;
        return batchKeys;
    }

    @Benchmark
    public void lookup(Blackhole bh) {
        bh.consume(lookupBatch(nextBatch()));
    }

    /** One batch into this store's output buffer; returns its first float (for the blackhole). */
    float lookupBatch(long[] k) {
        if (panavec != null) {
            panavec.lookup(k, nativeOut);
            return nativeOut.get(ValueLayout.JAVA_FLOAT, 0);
        } else if (heap != null) {
            for (int i = 0; i < k.length; i++) {
                System.arraycopy(heap.get(k[i]), 0, heapOut, i * dim, dim);
            }
        } else {
            MemorySegment src = MemorySegment.ofArray(bytes);
            for (int i = 0; i < k.length; i++) {
                byte[] v = chronicle.getUsing(k[i], bytes);
                if (v != bytes) src = MemorySegment.ofArray(bytes = v); // Chronicle may hand back its own array
                MemorySegment.copy(src, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, heapOut, i * dim, dim);
            }
        }
        return heapOut[0];
    }

    static long[] uniform(long[] keys, int count, long seed) {
        Random r = new Random(seed);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) out[i] = keys[r.nextInt(keys.length)];
        return out;
    }

    /** Zipf(1) over ranks 1..n by inverse CDF; rank r names keys[perm[r - 1]], a fixed random permutation. */
    static long[] zipf(long[] keys, int count, long seed) {
        int n = keys.length;
        double[] cdf = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) cdf[i] = s += 1.0 / (i + 1);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            int at = java.util.Arrays.binarySearch(cdf, r.nextDouble() * s);
            int rank = at >= 0 ? at : Math.min(n - 1, -at - 1);
            out[i] = keys[perm[rank]];
        }
        return out;
    }
}
