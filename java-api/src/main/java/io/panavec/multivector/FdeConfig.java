package io.panavec.multivector;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parameters of MUVERA Fixed Dimensional Encodings (Dhulipala et al., 2024): {@code reps} independent
 * repetitions, each a SimHash partition of token space by {@code ksim} Gaussian hyperplanes into
 * {@code 2^ksim} buckets and a random inner projection of each token to {@code dproj} dimensions; a query's
 * bucket holds the sum of its projected tokens, a document's their average, and with {@code fillEmpty} a
 * document's empty bucket takes the token nearest to it in Hamming distance of sign patterns. With
 * {@code normalizeDocuments} (not in the paper) a document's bucket holds the unit-length direction of its average
 * (and a filling token at unit length) instead of the average itself: an average of diverse tokens is shorter
 * than any of them, so its inner product with a query token underestimates the MaxSim it stands for, more so the
 * more tokens a bucket holds; scaled to unit length (the length of every token of a normalized model) it does not
 * shrink with the bucket's size. An optional
 * final Count-Sketch projects the {@code reps * 2^ksim * dproj} dimensions down to {@code dfinal} (0: none).
 * {@code seed} draws every random matrix; the matrices are persisted with the index.
 *
 * <p>String form (manifest, command line): {@code fde:r=20,k=5,d=16,final=0,fill=true,norm=false,proj=dense,seed=42};
 * any key may be left out for its default ({@link #text} writes {@code norm} only when true). Immutable.
 */
public record FdeConfig(int reps, int ksim, int dproj, int dfinal, boolean fillEmpty, boolean normalizeDocuments, Projection projection,
                        long seed) {
    /** Largest ksim (2^20 buckets per repetition), as the native encoder. */
    public static final int MAX_KSIM = 20;
    /** Largest raw FDE dimension accepted (a float array per encoding). */
    public static final long MAX_RAW_DIM = 1L << 24;

    /** How tokens are projected to {@code dproj} dimensions inside each bucket. */
    public enum Projection {
        /** Dense random +-1 matrix scaled by 1/sqrt(dproj), as in the paper. */
        DENSE,
        /** One random +-1 entry per input dimension (the AMS sketch of Google's reference implementation). */
        AMS,
        /** No projection: dproj must equal the token dimension. */
        IDENTITY
    }

    public FdeConfig {
        if (reps < 1) {
            throw new IllegalArgumentException("FDE repetitions (r) must be >= 1, was " + reps);
        }
        if (ksim < 0 || ksim > MAX_KSIM) {
            throw new IllegalArgumentException("FDE SimHash hyperplanes (k) must be in 0.." + MAX_KSIM + ", was " + ksim);
        }
        if (dproj < 1) {
            throw new IllegalArgumentException("FDE projection dimension (d) must be >= 1, was " + dproj);
        }
        if (dfinal < 0) {
            throw new IllegalArgumentException("FDE final dimension must be >= 0 (0 = none), was " + dfinal);
        }
        if (projection == null) {
            throw new IllegalArgumentException("FDE projection is null");
        }
        long raw = ((long) reps << ksim) * dproj;
        if (raw > MAX_RAW_DIM) {
            throw new IllegalArgumentException("FDE raw dimension r * 2^k * d = " + raw + " exceeds " + MAX_RAW_DIM);
        }
    }

    /** The paper's defaults for documents: r=20, k=5, d=16, no final projection, fill empty buckets, dense. */
    public static FdeConfig defaults() {
        return new FdeConfig(20, 5, 16, 0, true, false, Projection.DENSE, 42);
    }

    public static FdeConfig of(int reps, int ksim, int dproj) {
        return new FdeConfig(reps, ksim, dproj, 0, true, false, Projection.DENSE, 42);
    }

    public FdeConfig withFinalDimension(int d) {
        return new FdeConfig(reps, ksim, dproj, d, fillEmpty, normalizeDocuments, projection, seed);
    }

    public FdeConfig withFillEmpty(boolean fill) {
        return new FdeConfig(reps, ksim, dproj, dfinal, fill, normalizeDocuments, projection, seed);
    }

    public FdeConfig withNormalizedDocuments(boolean norm) {
        return new FdeConfig(reps, ksim, dproj, dfinal, fillEmpty, norm, projection, seed);
    }

    public FdeConfig withProjection(Projection p) {
        return new FdeConfig(reps, ksim, dproj, dfinal, fillEmpty, normalizeDocuments, p, seed);
    }

    public FdeConfig withSeed(long s) {
        return new FdeConfig(reps, ksim, dproj, dfinal, fillEmpty, normalizeDocuments, projection, s);
    }

    /** Buckets per repetition, 2^ksim. */
    public int buckets() {
        return 1 << ksim;
    }

    /** reps * 2^ksim * dproj. */
    public int rawDimension() {
        return Math.toIntExact(((long) reps << ksim) * dproj);
    }

    /** Dimension of an encoding: dfinal when set, else the raw dimension. */
    public int dimension() {
        return dfinal > 0 ? dfinal : rawDimension();
    }

    /** The string form, parseable by {@link #parse}. */
    public String text() {
        return "fde:r=" + reps + ",k=" + ksim + ",d=" + dproj + ",final=" + dfinal + ",fill=" + fillEmpty
                + (normalizeDocuments ? ",norm=true" : "") + ",proj=" + projection.name().toLowerCase(Locale.ROOT) + ",seed=" + seed;
    }

    @Override
    public String toString() {
        return text();
    }

    /** Parses the string form ({@code fde:} prefix optional); unknown keys and bad values throw. */
    public static FdeConfig parse(String s) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException("empty FDE configuration");
        }
        String body = s.trim();
        if (body.startsWith("fde:")) {
            body = body.substring(4);
        } else if (body.equals("fde")) {
            body = "";
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : body.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("FDE configuration '" + s + "': expected key=value, got '" + part + "'");
            }
            kv.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
        }
        FdeConfig d = defaults();
        try {
            int r = Integer.parseInt(kv.getOrDefault("r", Integer.toString(d.reps)));
            int k = Integer.parseInt(kv.getOrDefault("k", Integer.toString(d.ksim)));
            int dp = Integer.parseInt(kv.getOrDefault("d", Integer.toString(d.dproj)));
            int fin = Integer.parseInt(kv.getOrDefault("final", "0"));
            String fill = kv.getOrDefault("fill", "true");
            if (!fill.equals("true") && !fill.equals("false")) {
                throw new IllegalArgumentException("fill must be true or false, was " + fill);
            }
            String norm = kv.getOrDefault("norm", "false");
            if (!norm.equals("true") && !norm.equals("false")) {
                throw new IllegalArgumentException("norm must be true or false, was " + norm);
            }
            Projection p = Projection.valueOf(kv.getOrDefault("proj", "dense").toUpperCase(Locale.ROOT));
            long seed = Long.parseLong(kv.getOrDefault("seed", "42"));
            for (String key : kv.keySet()) {
                if (!java.util.Set.of("r", "k", "d", "final", "fill", "norm", "proj", "seed").contains(key)) {
                    throw new IllegalArgumentException("unknown key '" + key + "' (keys: r, k, d, final, fill, norm, proj, seed)");
                }
            }
            return new FdeConfig(r, k, dp, fin, Boolean.parseBoolean(fill), Boolean.parseBoolean(norm), p, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FDE configuration '" + s + "': " + e.getMessage(), e);
        }
    }
}
