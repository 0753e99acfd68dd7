import java.io.*;
import java.nio.*;
import java.nio.channels.FileChannel;
import java.nio.file.*;
import java.util.*;

/**
 * Cuts the small multi-vector (token-level) data set that ships in data/ from the output of
 * ../shared/tools/multivector/embed-tokens.sh (PREFIX.tokens.fvecs, PREFIX.offsets.ivecs, PREFIX.ids.txt), keeps
 * the first N texts of each set, stores the token vectors as float16 .npy, and computes the exact Chamfer ground
 * truth of the kept (float16-rounded) tokens with a plain double-precision loop (an oracle independent of panavec).
 *
 * Usage: java data/MakeMultiVectorCut.java <dir with docs.*, queries.*, queries-words.*> <out dir> [docs] [queries]
 */
public class MakeMultiVectorCut {
    public static void main(String[] args) throws IOException {
        Path src = Path.of(args[0]), out = Path.of(args[1]);
        int nDocs = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        int nQ = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        Files.createDirectories(out);
        float[][][] docs = cut(src, out, "docs", nDocs);
        for (String qs : List.of("queries", "queries-words")) {
            float[][][] q = cut(src, out, qs, nQ);
            int k = Math.min(100, docs.length);
            int[][] gt = new int[q.length][];
            float[][] scores = new float[q.length][];
            for (int i = 0; i < q.length; i++) {
                double[] s = new double[docs.length];
                for (int d = 0; d < docs.length; d++) s[d] = chamfer(q[i], docs[d]);
                Integer[] order = new Integer[docs.length];
                for (int d = 0; d < order.length; d++) order[d] = d;
                Arrays.sort(order, (a, b) -> s[a] != s[b] ? Double.compare(s[b], s[a]) : Integer.compare(a, b));
                gt[i] = new int[k];
                scores[i] = new float[k];
                for (int j = 0; j < k; j++) {
                    gt[i][j] = order[j];
                    scores[i][j] = (float) s[order[j]];
                }
            }
            writeVecs(out.resolve(qs + "-chamfer-groundtruth.ivecs"), gt, null);
            writeVecs(out.resolve(qs + "-chamfer-groundtruth.scores.fvecs"), null, scores);
        }
    }

    static double chamfer(float[][] q, float[][] d) {
        double sum = 0;
        for (float[] a : q) {
            double best = Double.NEGATIVE_INFINITY;
            for (float[] b : d) {
                double s = 0;
                for (int j = 0; j < a.length; j++) s += (double) a[j] * b[j];
                best = Math.max(best, s);
            }
            sum += best;
        }
        return sum;
    }

    /** Keeps the first n texts of PREFIX, writes PREFIX.tokens.npy (float16), .offsets.ivecs, .ids.txt; returns the tokens (as rounded). */
    static float[][][] cut(Path src, Path out, String prefix, int n) throws IOException {
        ByteBuffer off = ByteBuffer.wrap(Files.readAllBytes(src.resolve(prefix + ".offsets.ivecs"))).order(ByteOrder.LITTLE_ENDIAN);
        int texts = off.capacity() / 8 - 1;
        n = Math.min(n, texts);
        int[] offsets = new int[n + 1];
        for (int i = 0; i <= n; i++) offsets[i] = off.getInt(8 * i + 4);
        int tokens = offsets[n];
        float[][][] sets = new float[n][][];
        try (FileChannel ch = FileChannel.open(src.resolve(prefix + ".tokens.fvecs"))) {
            ByteBuffer first = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(first, 0);
            int dim = first.getInt(0);
            ByteBuffer all = ByteBuffer.allocate(tokens * (4 + 4 * dim)).order(ByteOrder.LITTLE_ENDIAN);
            while (all.hasRemaining() && ch.read(all, all.position()) > 0) { }
            ByteBuffer npy = ByteBuffer.allocate(tokens * dim * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                sets[i] = new float[offsets[i + 1] - offsets[i]][dim];
                for (int t = offsets[i]; t < offsets[i + 1]; t++) {
                    for (int j = 0; j < dim; j++) {
                        short h = Float.floatToFloat16(all.getFloat(t * (4 + 4 * dim) + 4 + 4 * j));
                        npy.putShort(h);
                        sets[i][t - offsets[i]][j] = Float.float16ToFloat(h);
                    }
                }
            }
            writeNpyF16(out.resolve(prefix + ".tokens.npy"), npy.array(), tokens, dim);
        }
        int[][] o = new int[n + 1][];
        for (int i = 0; i <= n; i++) o[i] = new int[] {offsets[i]};
        writeVecs(out.resolve(prefix + ".offsets.ivecs"), o, null);
        List<String> ids = Files.readAllLines(src.resolve(prefix + ".ids.txt"));
        Files.write(out.resolve(prefix + ".ids.txt"), ids.subList(0, n));
        return sets;
    }

    static void writeNpyF16(Path p, byte[] data, int rows, int dim) throws IOException {
        String header = "{'descr': '<f2', 'fortran_order': False, 'shape': (" + rows + ", " + dim + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder h = new StringBuilder(header);
        h.append(" ".repeat(pad)).append('\n');
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(p))) {
            os.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            os.write(h.length() & 0xff);
            os.write(h.length() >> 8);
            os.write(h.toString().getBytes("ISO-8859-1"));
            os.write(data);
        }
    }

    static void writeVecs(Path p, int[][] ints, float[][] floats) throws IOException {
        int rows = ints != null ? ints.length : floats.length;
        try (DataOutputStream os = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p)))) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < rows; i++) {
                int len = ints != null ? ints[i].length : floats[i].length;
                os.write(b.putInt(0, len).array());
                for (int j = 0; j < len; j++) {
                    if (ints != null) b.putInt(0, ints[i][j]); else b.putFloat(0, floats[i][j]);
                    os.write(b.array());
                }
            }
        }
    }
}
