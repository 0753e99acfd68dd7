package io.panavec.faiss;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FAISS index_factory strings panavec lets through, each parameter checked before FAISS sees it.
 * FAISS 1.7.3 trusts its factory's numbers: {@code HNSW0,Flat} crashes in {@code HNSW::add_link},
 * {@code IVF16,PQ0} divides by zero, {@code IVF0,Flat} aborts on an assertion, {@code NSG0,Flat} spins
 * forever. So only the grammar below is accepted, with every number in range; anything else is refused
 * with this list ({@link #SUPPORTED}):
 *
 * <pre>
 * [IDMap, | IDMap2,] {transform,} body
 * transform: PCA&lt;n&gt; PCAW&lt;n&gt; PCAR&lt;n&gt; PCAWR&lt;n&gt; (n in 1..d) | L2norm | RR[&lt;n&gt;] | OPQ&lt;M&gt;[_&lt;n&gt;] (M divides n)
 * body:      Flat | SQ4 | SQ6 | SQ8 | SQfp16 | PQ&lt;M&gt;[x&lt;bits&gt;][np]
 *          | HNSW[&lt;M&gt;][,Flat | ,SQ&lt;t&gt; | ,PQ&lt;M&gt;]
 *          | IVF&lt;nlist&gt;[_HNSW&lt;M&gt;],(Flat | SQ&lt;t&gt; | PQ&lt;M&gt;[x&lt;bits&gt;][np])
 * </pre>
 * where d is the dimension reaching the component, PQ's M divides it, bits is in 1..16, HNSW's M in
 * 2..512 and nlist in 1..2^20. Stateless.
 */
public final class FactoryString {
    static final int MAX_HNSW_M = 512;
    static final int MAX_NLIST = 1 << 20;
    static final int MAX_PQ_BITS = 16;
    static final int MAX_DIM = 1 << 16;

    /** What {@link #check} accepts, for error messages. */
    public static final String SUPPORTED = "Flat, SQ4|SQ6|SQ8|SQfp16, PQ<M>[x<bits>][np], HNSW<M>[,Flat|,SQ<t>|,PQ<M>], "
            + "IVF<nlist>[_HNSW<M>],Flat|SQ<t>|PQ<M>[x<bits>][np], optionally after IDMap, / IDMap2, and transforms "
            + "PCA[W][R]<n>, L2norm, RR[<n>], OPQ<M>[_<n>] (HNSW M in 2.." + MAX_HNSW_M + ", nlist in 1.." + MAX_NLIST
            + ", PQ M dividing the dimension, bits in 1.." + MAX_PQ_BITS + ")";

    private static final Pattern PCA = Pattern.compile("PCA(W?)(R?)([0-9]+)");
    private static final Pattern RR = Pattern.compile("RR([0-9]*)");
    private static final Pattern OPQ = Pattern.compile("OPQ([0-9]+)(?:_([0-9]+))?");
    private static final Pattern PQ = Pattern.compile("PQ([0-9]+)(?:x([0-9]+))?(np)?");
    private static final Pattern HNSW = Pattern.compile("HNSW([0-9]*)");
    private static final Pattern IVF = Pattern.compile("IVF([0-9]+)(?:_HNSW([0-9]*))?");
    private static final List<String> SQ = List.of("SQ4", "SQ6", "SQ8", "SQfp16");

    private FactoryString() {}

    /**
     * Throws {@link IllegalArgumentException} naming the offending component unless {@code factory} is in
     * the supported grammar with every parameter valid for vectors of dimension {@code dim}.
     */
    public static void check(String factory, int dim) {
        if (factory == null || factory.isEmpty()) {
            throw refuse(factory, "it is empty");
        }
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be positive, was " + dim);
        }
        String[] parts = factory.split(",", -1);
        int i = 0;
        if (parts[0].equals("IDMap") || parts[0].equals("IDMap2")) {
            i++;
        }
        int d = dim;
        for (; i < parts.length - 1; i++) {
            int out = transform(factory, parts[i], d);
            if (out < 0) break; // not a transform: the body starts here
            d = out;
        }
        body(factory, parts, i, d);
    }

    /** The output dimension of transform {@code t} over {@code d} dimensions, or -1 if t is no transform. */
    /**
     * The HNSW M of a factory whose vectors FAISS would keep as a plain float copy, so that an index over a
     * store can serve them from the store's rows instead ({@link FaissIndex#overStore}): 0 for {@code Flat},
     * M for {@code HNSW[<M>][,Flat]} (FAISS's default 32 without one), also after {@code IDMap,} or
     * {@code IDMap2,} (over store rows the ids are the rows: the map would be the identity); -1 for every other
     * factory (codes, transforms, IVF: FAISS's own structures). {@code factory} must have passed {@link #check}.
     */
    public static int storeRowsHnswM(String factory) {
        String body = factory.replaceFirst("^IDMap2?,", "");
        if (body.equals("Flat")) {
            return 0;
        }
        String[] parts = body.split(",", -1);
        Matcher m = HNSW.matcher(parts[0]);
        if (!m.matches() || parts.length > 2 || (parts.length == 2 && !parts[1].equals("Flat"))) {
            return -1;
        }
        return m.group(1).isEmpty() ? 32 : Integer.parseInt(m.group(1));
    }

    private static int transform(String factory, String t, int d) {
        Matcher m;
        if (t.equals("L2norm")) {
            return d;
        }
        if ((m = PCA.matcher(t)).matches()) {
            return number(factory, t, m.group(3), 1, d, "its output dimension");
        }
        if ((m = RR.matcher(t)).matches()) {
            return m.group(1).isEmpty() ? d : number(factory, t, m.group(1), 1, MAX_DIM, "its output dimension");
        }
        if ((m = OPQ.matcher(t)).matches()) {
            int out = m.group(2) == null ? d : number(factory, t, m.group(2), 1, MAX_DIM, "its output dimension");
            int subs = number(factory, t, m.group(1), 1, out, "its sub-quantizer count");
            if (out % subs != 0) {
                throw refuse(factory, t + ": " + subs + " sub-quantizers do not divide dimension " + out);
            }
            return out;
        }
        return -1;
    }

    private static void body(String factory, String[] parts, int from, int d) {
        int left = parts.length - from;
        String head = parts[from];
        Matcher m;
        if (left == 1 && (head.equals("Flat") || SQ.contains(head))) {
            return;
        }
        if (left == 1 && (m = PQ.matcher(head)).matches()) {
            pq(factory, head, m, d);
            return;
        }
        if ((m = HNSW.matcher(head)).matches() && left <= 2) {
            if (!m.group(1).isEmpty()) {
                number(factory, head, m.group(1), 2, MAX_HNSW_M, "M");
            }
            if (left == 2) {
                String code = parts[from + 1];
                Matcher pq = PQ.matcher(code);
                if (pq.matches() && pq.group(2) == null && pq.group(3) == null) {
                    pq(factory, code, pq, d);
                } else if (!code.equals("Flat") && !SQ.contains(code)) {
                    throw refuse(factory, "'" + code + "' after " + head + " (expected Flat, SQ<t> or PQ<M>)");
                }
            }
            return;
        }
        if ((m = IVF.matcher(head)).matches() && left == 2) {
            number(factory, head, m.group(1), 1, MAX_NLIST, "nlist");
            if (m.group(2) != null && !m.group(2).isEmpty()) {
                number(factory, head, m.group(2), 2, MAX_HNSW_M, "the quantizer's HNSW M");
            }
            String code = parts[from + 1];
            Matcher pq = PQ.matcher(code);
            if (pq.matches()) {
                pq(factory, code, pq, d);
            } else if (!code.equals("Flat") && !SQ.contains(code)) {
                throw refuse(factory, "'" + code + "' after " + head + " (expected Flat, SQ<t> or PQ<M>[x<bits>][np])");
            }
            return;
        }
        throw refuse(factory, "'" + String.join(",", java.util.Arrays.copyOfRange(parts, from, parts.length))
                + "' is not an index panavec can check");
    }

    private static void pq(String factory, String t, Matcher m, int d) {
        int subs = number(factory, t, m.group(1), 1, d, "M");
        if (d % subs != 0) {
            throw refuse(factory, t + ": " + subs + " sub-quantizers do not divide dimension " + d);
        }
        if (m.group(2) != null) {
            number(factory, t, m.group(2), 1, MAX_PQ_BITS, "bits per code");
        }
    }

    private static int number(String factory, String component, String digits, int min, int max, String what) {
        long v;
        try {
            v = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
        } catch (NumberFormatException e) {
            v = Long.MAX_VALUE;
        }
        if (v < min || v > max) {
            throw refuse(factory, component + ": " + what + " must be in " + min + ".." + max + ", was " + digits);
        }
        return (int) v;
    }

    private static IllegalArgumentException refuse(String factory, String why) {
        return new IllegalArgumentException("FAISS factory string '" + factory + "' refused: " + why + ". Supported: " + SUPPORTED);
    }
}
