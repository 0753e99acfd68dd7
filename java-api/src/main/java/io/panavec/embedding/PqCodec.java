package io.panavec.embedding;

import io.panavec.internal.NativeMetric;
import io.panavec.faiss.FaissIndex;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * Product quantization (Jégou et al., 2011): a row is cut into {@code m} sub-vectors of {@code d / m} elements and
 * each is stored as the one-byte index of its nearest of 256 centroids, so a row takes {@code m} bytes. The
 * centroids are learned by FAISS ({@code "PQ<m>np"}: k-means per subspace, without FAISS's polysemous re-ordering,
 * which only serves Hamming search and makes training minutes long) and read back through FAISS's standalone
 * decoder; encoding and decoding then run here from the centroids alone, so the codec holds no native memory.
 * They compute exactly what FAISS's {@code sa_encode} / {@code sa_decode} do (nearest centroid by squared L2;
 * the concatenated centroids), which the tests check against FAISS itself.
 *
 * <p>Error: PQ has no bound independent of the data. {@link #errorBound} states what it guarantees: the
 * reconstruction is the nearest point of the product codebook, so the error is the distance from {@code x} to
 * that codebook, {@code sqrt(sum over subspaces of min_c ||x_s - c||^2)} (computed in double precision; plus
 * {@code 1e-5 (1 + ||x||^2)} under the root for a centroid the float scan picks by rounding).
 *
 * <p>Spec {@code pq<m>}, {@code m} dividing the dimension. Parameters: 256 rows of {@code d} floats, row c the
 * concatenation of centroid c of every subspace. Immutable and thread-safe.
 */
final class PqCodec implements RowCodec {
    static final int CENTROIDS = 256;

    private final int dim, m, sub;
    private final float[][] centroids;   // [c][d]: null until trained
    private final float[][][] byDim;     // [subspace][t][c]: the centroids transposed, for a vectorizable scan
    private final float[][] norms;       // [subspace][c]: squared norm of each centroid

    private PqCodec(int dim, int m, float[][] centroids) {
        if (m < 1 || dim % m != 0) {
            throw new IllegalArgumentException("pq" + m + ": the number of sub-quantizers must divide the dimension " + dim);
        }
        this.dim = dim;
        this.m = m;
        this.sub = dim / m;
        this.centroids = centroids;
        if (centroids == null) {
            byDim = null;
            norms = null;
            return;
        }
        byDim = new float[m][sub][CENTROIDS];
        norms = new float[m][CENTROIDS];
        for (int c = 0; c < CENTROIDS; c++) {
            for (int s = 0; s < m; s++) {
                double n2 = 0;
                for (int t = 0; t < sub; t++) {
                    float v = centroids[c][s * sub + t];
                    byDim[s][t][c] = v;
                    n2 += (double) v * v;
                }
                norms[s][c] = (float) n2;
            }
        }
    }

    /** Whether {@code spec} names this codec ("pq48"). */
    static boolean names(String spec) {
        return spec.toLowerCase(Locale.ROOT).matches("pq[0-9]{1,4}");
    }

    /** An untrained codec of {@code spec} ("pq48"). */
    static PqCodec create(String spec, int dim) {
        return new PqCodec(dim, Integer.parseInt(spec.substring(2)), null);
    }

    /** The codec with persisted centroids (256 rows of {@code dim} finite floats). */
    static PqCodec restore(String spec, int dim, float[][] parameters) {
        if (parameters.length != CENTROIDS) {
            throw new IllegalArgumentException(spec + " takes " + CENTROIDS + " centroid rows, got " + parameters.length);
        }
        float[][] c = new float[CENTROIDS][];
        for (int i = 0; i < CENTROIDS; i++) {
            if (parameters[i].length != dim) {
                throw new IllegalArgumentException(spec + ": centroid row " + i + " has " + parameters[i].length + " floats, not " + dim);
            }
            for (float v : parameters[i]) {
                if (!Float.isFinite(v)) throw new IllegalArgumentException(spec + ": centroid row " + i + " is not finite");
            }
            c[i] = parameters[i].clone();
        }
        return new PqCodec(dim, Integer.parseInt(spec.substring(2)), c);
    }

    @Override public String spec() { return "pq" + m; }
    @Override public int dimension() { return dim; }
    @Override public int rowBytes() { return m; }
    @Override public boolean isTrained() { return centroids != null; }
    @Override public int nativeEncoding() { return -1; }

    /** Learns the centroids with FAISS on {@code sample} (at least 256 rows: k-means needs a point per centroid). */
    @Override
    public RowCodec train(float[][] sample) {
        if (sample.length < CENTROIDS) {
            throw new IllegalArgumentException(spec() + " trains 256 centroids per subspace and needs at least 256 sample rows, got " + sample.length);
        }
        try (FaissIndex pq = FaissIndex.create(dim, "PQ" + m + "np", NativeMetric.L2); Arena arena = Arena.ofConfined()) {
            pq.train(sample);
            // Code (c, c, ..., c) decodes to centroid c of every subspace: the whole codebook in 256 decodes.
            MemorySegment probe = arena.allocate((long) CENTROIDS * m), out = arena.allocate((long) CENTROIDS * dim * Float.BYTES, 64);
            for (int c = 0; c < CENTROIDS; c++) {
                probe.asSlice((long) c * m, m).fill((byte) c);
            }
            pq.decode(probe, CENTROIDS, out);
            float[][] c = new float[CENTROIDS][dim];
            for (int i = 0; i < CENTROIDS; i++) {
                MemorySegment.copy(out, ValueLayout.JAVA_FLOAT, (long) i * dim * Float.BYTES, c[i], 0, dim);
            }
            return new PqCodec(dim, m, c);
        }
    }

    @Override
    public float[][] parameters() {
        if (centroids == null) return new float[0][];
        float[][] p = new float[CENTROIDS][];
        for (int i = 0; i < CENTROIDS; i++) p[i] = centroids[i].clone();
        return p;
    }

    @Override
    public void encode(float[] x, MemorySegment dst, long off) {
        requireTrained();
        float[] dot = new float[CENTROIDS];
        for (int s = 0; s < m; s++) {
            java.util.Arrays.fill(dot, 0f);
            for (int t = 0; t < sub; t++) {
                float xv = x[s * sub + t];
                float[] col = byDim[s][t];
                for (int c = 0; c < CENTROIDS; c++) dot[c] += xv * col[c];
            }
            // ||x_s - c||^2 = ||x_s||^2 - 2 <x_s, c> + ||c||^2: the first term is the same for every c.
            float[] n2 = norms[s];
            int best = 0;
            float bestD = Float.POSITIVE_INFINITY;
            for (int c = 0; c < CENTROIDS; c++) {
                float d = n2[c] - 2 * dot[c];
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            dst.set(ValueLayout.JAVA_BYTE, off + s, (byte) best);
        }
    }

    @Override
    public void decode(MemorySegment src, long off, float[] out, int outOff) {
        requireTrained();
        for (int s = 0; s < m; s++) {
            int c = Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, off + s));
            System.arraycopy(centroids[c], s * sub, out, outOff + s * sub, sub);
        }
    }

    @Override
    public double errorBound(float[] x) {
        requireTrained();
        double total = 0, x2 = 0;
        for (float v : x) x2 += (double) v * v;
        for (int s = 0; s < m; s++) {
            double best = Double.POSITIVE_INFINITY;
            for (float[] c : centroids) {
                double d = 0;
                for (int t = s * sub; t < (s + 1) * sub; t++) {
                    double e = x[t] - c[t];
                    d += e * e;
                }
                best = Math.min(best, d);
            }
            total += best;
        }
        // The float scan may pick a centroid that is nearer only by float rounding of the distances.
        return Math.sqrt(total + 1e-5 * (1 + x2));
    }

    private void requireTrained() {
        if (centroids == null) {
            throw new IllegalStateException(spec() + " rows need centroids: train the codec on a sample first");
        }
    }
}
