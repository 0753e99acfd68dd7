package io.panavec.engine;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an engine found: store rows and their scores, best first, which path produced them (the label a
 * {@code SearchResult} names) and how many vectors were scored (the work done; -1 when the engine does not
 * count, as FAISS). Immutable once built; the arrays are not copied, so do not modify them.
 */
public record Candidates(long[] rows, float[] scores, long scored, String label) {
    public Candidates {
        if (rows.length != scores.length) {
            throw new IllegalArgumentException(rows.length + " rows for " + scores.length + " scores");
        }
    }

    public static Candidates empty(String label, long scored) {
        return new Candidates(new long[0], new float[0], scored, label);
    }

    public int size() {
        return rows.length;
    }

    public Candidates withLabel(String label) {
        return new Candidates(rows, scores, scored, label);
    }

    public Candidates withScored(long scored) {
        return new Candidates(rows, scores, scored, label);
    }

    /** Only the candidates {@code allow} contains (order kept). */
    public Candidates retain(AllowSet allow) {
        long[] r = new long[rows.length];
        float[] s = new float[rows.length];
        int n = 0;
        for (int i = 0; i < rows.length; i++) {
            if (allow.contains(rows[i])) {
                r[n] = rows[i];
                s[n++] = scores[i];
            }
        }
        return n == rows.length ? this : new Candidates(Arrays.copyOf(r, n), Arrays.copyOf(s, n), scored, label);
    }

    /** The first {@code k} candidates. */
    public Candidates top(int k) {
        return k >= rows.length ? this : new Candidates(Arrays.copyOf(rows, k), Arrays.copyOf(scores, k), scored, label);
    }

    /**
     * The best {@code k} of several candidate lists (each best first, as from shards or from the vectors of
     * one document), a row kept once with its best score; ties go to the lower row. The work counts add up
     * (-1 if any part did not count).
     */
    public static Candidates merge(List<Candidates> parts, int k, boolean higherIsBetter, String label) {
        int total = 0;
        long scored = 0;
        for (Candidates c : parts) {
            total += c.size();
            scored = scored < 0 || c.scored < 0 ? -1 : scored + c.scored;
        }
        long[] rows = new long[total];
        float[] scores = new float[total];
        int n = 0;
        for (Candidates c : parts) {
            System.arraycopy(c.rows, 0, rows, n, c.size());
            System.arraycopy(c.scores, 0, scores, n, c.size());
            n += c.size();
        }
        int[] order = best(rows, scores, total, higherIsBetter);
        Set<Long> seen = new HashSet<>();
        long[] outRows = new long[Math.min(k, total)];
        float[] outScores = new float[outRows.length];
        int m = 0;
        for (int i = 0; i < order.length && m < outRows.length; i++) {
            if (seen.add(rows[order[i]])) {
                outRows[m] = rows[order[i]];
                outScores[m++] = scores[order[i]];
            }
        }
        return new Candidates(Arrays.copyOf(outRows, m), Arrays.copyOf(outScores, m), scored, label);
    }

    /** Up to this many kept entries, {@link #best} selects by insertion (no boxing, no full sort): a re-rank keeps k of a beam. */
    private static final int INSERTION_MAX = 64;

    /** Indexes of the best min(k, n) entries, best first (ties: lower row first). */
    static int[] best(long[] rows, float[] scores, int k, boolean higherIsBetter) {
        int m = Math.min(k, rows.length);
        if (m <= INSERTION_MAX) {
            return bestByInsertion(rows, scores, m, higherIsBetter);
        }
        Integer[] order = new Integer[rows.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = higherIsBetter ? Float.compare(scores[b], scores[a]) : Float.compare(scores[a], scores[b]);
            return c != 0 ? c : Long.compare(rows[a], rows[b]);
        });
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** The best m entries kept sorted in a small array: most entries lose to the worst kept one and cost one comparison. */
    private static int[] bestByInsertion(long[] rows, float[] scores, int m, boolean higherIsBetter) {
        int[] out = new int[m];
        int n = 0;
        for (int i = 0; i < rows.length && m > 0; i++) {
            if (n == m && !before(rows, scores, i, out[m - 1], higherIsBetter)) {
                continue;
            }
            int at = n < m ? n++ : m - 1;
            while (at > 0 && before(rows, scores, i, out[at - 1], higherIsBetter)) {
                out[at] = out[at - 1];
                at--;
            }
            out[at] = i;
        }
        return out;
    }

    /** Whether entry a ranks before entry b: the better score (Float.compare's order, NaN last when higher is better), then the lower row. */
    private static boolean before(long[] rows, float[] scores, int a, int b, boolean higherIsBetter) {
        int c = higherIsBetter ? Float.compare(scores[b], scores[a]) : Float.compare(scores[a], scores[b]);
        return c != 0 ? c < 0 : rows[a] < rows[b];
    }
}
