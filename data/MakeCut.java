import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

/**
 * Cuts the small wordnet-minilm subset that ships in data/ from the full data set, and computes its exact
 * ground truth with a plain double-precision scan (an oracle independent of panavec's kernels).
 *
 * Usage: java data/MakeCut.java <full wordnet-minilm dir> <out dir> [base rows] [queries per set]
 */
public class MakeCut {
    public static void main(String[] args) throws IOException {
        Path src = Path.of(args[0]), out = Path.of(args[1]);
        int nBase = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int nQ = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        Files.createDirectories(out);
        float[][] base = readFvecs(src.resolve("base.fvecs"));
        int[] pick = new Random(42).ints(0, base.length).distinct().limit(nBase).sorted().toArray();
        float[][] cut = new float[nBase][];
        for (int i = 0; i < nBase; i++) cut[i] = base[pick[i]];
        writeFvecs(out.resolve("base.fvecs"), cut);
        cutTsv(src.resolve("texts.tsv"), out.resolve("texts.tsv"), pick, null);
        cutTsv(src.resolve("attributes.tsv"), out.resolve("attributes.tsv"), pick, "source_id");
        for (String qs : List.of("queries", "queries-words")) {
            float[][] q = Arrays.copyOf(readFvecs(src.resolve(qs + ".fvecs")), nQ);
            writeFvecs(out.resolve(qs + ".fvecs"), q);
            List<String> lines = Files.readAllLines(src.resolve(qs + ".tsv"));
            Files.write(out.resolve(qs + ".tsv"), lines.subList(0, nQ + 1));
            writeIvecs(out.resolve(qs + "-groundtruth.ivecs"), groundTruth(cut, q, 100));
        }
    }

    static int[][] groundTruth(float[][] base, float[][] queries, int k) {
        int[][] gt = new int[queries.length][];
        for (int qi = 0; qi < queries.length; qi++) {
            double[] s = new double[base.length];
            for (int i = 0; i < base.length; i++) {
                double acc = 0;
                for (int j = 0; j < base[i].length; j++) acc += (double) queries[qi][j] * base[i][j];
                s[i] = acc;
            }
            gt[qi] = java.util.stream.IntStream.range(0, base.length).boxed()
                    .sorted((a, b) -> s[a] != s[b] ? Double.compare(s[b], s[a]) : Integer.compare(a, b))
                    .limit(k).mapToInt(Integer::intValue).toArray();
        }
        return gt;
    }

    static void cutTsv(Path in, Path out, int[] pick, String extraColumn) throws IOException {
        List<String> lines = Files.readAllLines(in);
        List<String> res = new ArrayList<>();
        res.add(lines.get(0) + (extraColumn != null ? "\t" + extraColumn : ""));
        for (int i = 0; i < pick.length; i++) {
            String line = lines.get(pick[i] + 1);
            String rest = line.substring(line.indexOf('\t'));
            if (!line.startsWith(pick[i] + "\t")) throw new IllegalStateException("row order mismatch at " + pick[i]);
            res.add(i + rest + (extraColumn != null ? "\t" + pick[i] : ""));
        }
        Files.write(out, res);
    }

    static float[][] readFvecs(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        List<float[]> rows = new ArrayList<>();
        while (b.hasRemaining()) {
            float[] v = new float[b.getInt()];
            for (int i = 0; i < v.length; i++) v[i] = b.getFloat();
            rows.add(v);
        }
        return rows.toArray(new float[0][]);
    }

    static void writeFvecs(Path p, float[][] rows) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(rows.length * (4 + rows[0].length * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : rows) { b.putInt(r.length); for (float f : r) b.putFloat(f); }
        Files.write(p, b.array());
    }

    static void writeIvecs(Path p, int[][] rows) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(rows.length * (4 + rows[0].length * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] r : rows) { b.putInt(r.length); for (int f : r) b.putInt(f); }
        Files.write(p, b.array());
    }
}
