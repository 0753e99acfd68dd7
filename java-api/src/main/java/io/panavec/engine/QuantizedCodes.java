package io.panavec.engine;

import io.panavec.internal.NativeMetric;
import io.panavec.bindings.panavec_h;
import io.panavec.bindings.panavec_quant_h;
import io.panavec.internal.Checks;
import io.panavec.quant.CodeView;
import io.panavec.quant.QuantSpec;
import io.panavec.quant.Quantizer;
import io.panavec.quant.Quantizers;
import io.panavec.quant.QuantizedVectors;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The quantized codes of a index whose spec has a quantization ({@code IndexSpec.quantization()}):
 * the trained quantizer and one code row per store row (plus residual rows for two-level LVQ), in RAM,
 * saved to a code file at commit and loaded (not re-encoded) on open. Searches walk or scan the codes,
 * then re-rank the best candidates with the residual level (two-level LVQ) or the store's float32 rows.
 *
 * <p>Training: explicitly by {@link #train}, else on the store's rows when the first rows are encoded
 * (the first batch added; at most {@link #TRAINING_ROWS}, evenly spaced). LeanVec-OOD also needs a query
 * sample ({@link #trainQueries}) first.
 *
 * <p>Thread safety: one writer at a time (the index's writer lock) beside any number of searches. A
 * search reads an immutable snapshot (quantizer, segments, row count); the writer only writes rows past
 * the published count or moves to larger segments of an automatic arena, which frees old segments once
 * no snapshot refers to them, so a search never reads freed or half-written rows.
 */
final class QuantizedCodes {
    static final int TRAINING_ROWS = 20_000;
    /** Rows handed to the native encoder per call. */
    private static final int ENCODE_BLOCK = 4096;
    /** Candidates re-ranked when the request gives no depth: max(2k, this). */
    static final int DEFAULT_RERANK_DEPTH = 50;

    /** An immutable view of the codes: quantizer, primary and residual rows, rows encoded, capacity. */
    record Snapshot(Quantizer quantizer, MemorySegment rows, MemorySegment residual, long count, long capacity) {
        CodeView view() {
            return new CodeView(rows, count, quantizer.codeDimension(), quantizer.spec().bits());
        }
    }

    private final QuantSpec spec;
    private final NativeMetric metric; // IP or L2 (cosine indexes store normalized vectors)
    private final int nativeMetric;
    private final int dimension;
    private volatile Snapshot snap; // null until trained
    private float[][] querySample;  // LeanVec-OOD training queries; guarded by the index's writer lock
    private long committedCount = -1; // rows in the code file the manifest names (-1: none); writer lock

    QuantizedCodes(QuantSpec spec, NativeMetric metric, int dimension) {
        this.spec = spec;
        this.metric = metric;
        this.nativeMetric = metric.unitVectorCode();
        this.dimension = dimension;
    }

    /** Loads a code file of {@code spec} codes of {@code dimension}-dim vectors holding at most {@code maxRows} rows. */
    static QuantizedCodes load(Path file, QuantSpec spec, NativeMetric metric, int dimension, long maxRows) throws IOException {
        try (QuantizedVectors v = QuantizedVectors.load(file, spec, dimension)) {
            if (v.count() > maxRows) {
                throw new IOException(file + " holds " + v.count() + " code rows, the store only " + maxRows);
            }
            QuantizedCodes c = new QuantizedCodes(spec, metric, dimension);
            Snapshot s = allocate(v.quantizer(), Math.max(v.count(), 1024));
            Quantizer q = v.quantizer();
            MemorySegment.copy(v.rows(), 0, s.rows, 0, v.count() * q.rowBytes());
            if (q.residualBytes() > 0) {
                MemorySegment.copy(v.residual(), 0, s.residual, 0, v.count() * q.residualBytes());
            }
            c.snap = new Snapshot(q, s.rows, s.residual, v.count(), s.capacity);
            c.committedCount = v.count();
            return c;
        }
    }

    QuantSpec spec() {
        return spec;
    }

    boolean trained() {
        return snap != null;
    }

    /** Rows encoded so far. */
    long count() {
        Snapshot s = snap;
        return s == null ? 0 : s.count;
    }

    /** Bytes per vector the codes hold in RAM (primary + residual). */
    long bytesPerVector() {
        Snapshot s = snap;
        return s == null ? 0 : s.quantizer.rowBytes() + s.quantizer.residualBytes();
    }

    /** Keeps a query sample for LeanVec-OOD training (ignored by other methods); before training. */
    void trainQueries(float[][] queries) {
        if (snap != null) {
            throw new IllegalStateException(spec + " is already trained");
        }
        this.querySample = queries.clone();
    }

    /** Throws if rows could not be encoded now (LeanVec-OOD untrained and without a query sample). */
    void checkCanEncode() {
        if (snap == null && spec.needsQueries() && querySample == null) {
            throw new IllegalStateException(spec + " learns from queries: call trainQueries(sample) before adding vectors");
        }
    }

    /** Trains on {@code sample} (already normalized for cosine); a no-op once trained. */
    void train(float[][] sample) {
        if (snap != null) {
            return;
        }
        checkCanEncode();
        Quantizer q = Quantizers.train(spec, sample, querySample);
        snap = allocate(q, 1024);
    }

    /** Encodes the store rows that have no code row yet, training first on the store's rows if needed. */
    void encodeUpTo(VectorStore store) {
        long rows = store.size();
        if (snap == null) {
            if (rows == 0 || (spec.needsQueries() && querySample == null)) {
                return;
            }
            train(trainingSample(store, rows));
        }
        Snapshot s = snap;
        if (s.count >= rows) {
            return;
        }
        Quantizer q = s.quantizer;
        Snapshot t = s;
        if (rows > s.capacity) { // a larger home; searches keep reading the old one until they finish
            t = allocate(q, Math.max(rows, s.capacity * 2));
            MemorySegment.copy(s.rows, 0, t.rows, 0, s.count * q.rowBytes());
            if (q.residualBytes() > 0) {
                MemorySegment.copy(s.residual, 0, t.residual, 0, s.count * q.residualBytes());
            }
        }
        encodeRows(store, q, s.count, rows, t);
        snap = new Snapshot(q, t.rows, t.residual, rows, t.capacity);
    }

    /**
     * Encodes store rows [from, to) into t's segments in batches: float32 stores hand their mapped chunks to the
     * native encoder as they are, other element types are widened to float32 a block at a time first.
     */
    private static void encodeRows(VectorStore store, Quantizer q, long from, long to, Snapshot t) {
        long perChunk = store.rowsPerChunk();
        int d = store.dimension();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment widened = store.elementType() == ElementType.F32 ? null : arena.allocate((long) ENCODE_BLOCK * d * Float.BYTES, 64);
            for (long r = from; r < to; ) {
                long inChunk = r % perChunk;
                long n = Math.min(Math.min(to - r, perChunk - inChunk), ENCODE_BLOCK);
                MemorySegment x;
                if (widened == null) {
                    x = store.chunk((int) (r / perChunk)).asSlice(inChunk * d * Float.BYTES, n * d * Float.BYTES);
                } else {
                    for (long i = 0; i < n; i++) {
                        MemorySegment.copy(store.rowAsFloats(r + i), 0, widened, ValueLayout.JAVA_FLOAT, i * d * Float.BYTES, d);
                    }
                    x = widened;
                }
                q.encodeRows(x, n, t.rows, r * q.rowBytes(), t.residual, r * q.residualBytes());
                r += n;
            }
        }
    }

    private static float[][] trainingSample(VectorStore store, long rows) {
        int n = (int) Math.min(rows, TRAINING_ROWS);
        float[][] sample = new float[n][];
        for (int i = 0; i < n; i++) {
            sample[i] = store.rowAsFloats(i * rows / n);
        }
        return sample;
    }

    private static Snapshot allocate(Quantizer q, long capacity) {
        Arena arena = Arena.ofAuto();
        MemorySegment rows = arena.allocate(capacity * q.rowBytes(), 64);
        MemorySegment res = q.residualBytes() == 0 ? MemorySegment.NULL : arena.allocate(capacity * q.residualBytes(), 64);
        return new Snapshot(q, rows, res, 0, capacity);
    }

    /** Writes the codes (a {@link QuantizedVectors} file: method, dimension, parameters, checksums); returns the rows written. */
    long save(Path file) throws IOException {
        Snapshot s = snap;
        QuantizedVectors.view(s.quantizer, s.rows, s.residual, s.count).save(file);
        return s.count;
    }

    /**
     * Whether the code file the manifest names already holds every row (rows are append-only and never
     * re-encoded, so a commit without new rows can keep that file instead of rewriting it).
     */
    boolean committedFileIsCurrent() {
        return committedCount >= 0 && committedCount == count();
    }

    /** Records that a manifest naming a file of {@code rows} rows was switched in. */
    void committed(long rows) {
        committedCount = rows;
    }

    /** What a search reads: the quantizer and the rows encoded so far (null until trained). */
    Snapshot snapshot() {
        return snap;
    }

    /** Fused scan of every code row (rows not in {@code allow} skipped, when given), keeping the best {@code depth}. */
    static Candidates scan(Snapshot s, int nativeMetric, float[] prepared, int depth, AllowSet allow) {
        CodeView view = s.view();
        depth = Checks.clampDepth(depth, view.count());
        float[] hs = new float[depth];
        long[] hr = new long[depth];
        long n = panavec_quant_h.pv_quant_topk(nativeMetric, view.bits(), MemorySegment.ofArray(prepared), view.rows(),
                view.count(), view.codeDimension(), 0, allow == null ? MemorySegment.NULL : allow.words(), depth,
                MemorySegment.ofArray(hs), MemorySegment.ofArray(hr), 0);
        panavec_h.pv_topk_sort(nativeMetric, MemorySegment.ofArray(hs), MemorySegment.ofArray(hr), n);
        return new Candidates(Arrays.copyOf(hr, (int) n), Arrays.copyOf(hs, (int) n), view.count(), "scan-codes");
    }
}
