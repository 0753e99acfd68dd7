package io.panavec.quant;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A quantization method by name: {@code sq8}, {@code sq4}, {@code lvq4}, {@code lvq8}, two-level
 * {@code lvq4x4}, {@code lvq4x8}, {@code lvq8x8}, {@code binary}, and LeanVec
 * {@code leanvec-id.<d'>.lvq<B>[x<B2>]} / {@code leanvec-ood.<d'>.lvq<B>[x<B2>]} (primary LVQ-B codes of a
 * d'-dim projection; with x<B2>, secondary LVQ-B2 codes of the full dimension re-rank, else the float32 rows).
 * Immutable.
 *
 * @param kind        SQ, LVQ, BINARY, LEANVEC_ID or LEANVEC_OOD
 * @param bits        bits per primary code (1, 4 or 8)
 * @param residualBits bits of the second level, 0 if none: the residual codes of two-level LVQ, or
 *                    LeanVec's full-dimension secondary codes
 * @param reducedDim  LeanVec's projected dimension, 0 otherwise
 */
public record QuantSpec(Kind kind, int bits, int residualBits, int reducedDim) {
    public enum Kind { SQ, LVQ, BINARY, LEANVEC_ID, LEANVEC_OOD }

    private static final Pattern SQ = Pattern.compile("sq([48])");
    private static final Pattern LVQ = Pattern.compile("lvq([48])(?:x([48]))?");
    private static final Pattern LEANVEC = Pattern.compile("leanvec-(id|ood)\\.(\\d+)\\.lvq([48])(?:x([48]))?");

    public QuantSpec {
        CodePacking.checkBits(bits);
        if (residualBits != 0 && residualBits != 4 && residualBits != 8) {
            throw new IllegalArgumentException("residual bits must be 0, 4 or 8, got " + residualBits);
        }
        if ((kind == Kind.LEANVEC_ID || kind == Kind.LEANVEC_OOD) != reducedDim > 0) {
            throw new IllegalArgumentException("a reduced dimension is for LeanVec only (got " + reducedDim + ")");
        }
    }

    public static QuantSpec parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        Matcher m;
        if ((m = SQ.matcher(t)).matches()) {
            return new QuantSpec(Kind.SQ, Integer.parseInt(m.group(1)), 0, 0);
        }
        if ((m = LVQ.matcher(t)).matches()) {
            return new QuantSpec(Kind.LVQ, Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)), 0);
        }
        if (t.equals("binary")) {
            return new QuantSpec(Kind.BINARY, 1, 0, 0);
        }
        if ((m = LEANVEC.matcher(t)).matches()) {
            int d = Integer.parseInt(m.group(2));
            if (d < 1) {
                throw new IllegalArgumentException("LeanVec reduced dimension must be >= 1: " + s);
            }
            return new QuantSpec(m.group(1).equals("id") ? Kind.LEANVEC_ID : Kind.LEANVEC_OOD, Integer.parseInt(m.group(3)),
                    m.group(4) == null ? 0 : Integer.parseInt(m.group(4)), d);
        }
        throw new IllegalArgumentException("unknown quantization '" + s + "': expected sq8, sq4, lvq4, lvq8, lvq4x4, "
                + "lvq4x8, lvq8x8, binary, leanvec-id.<d>.lvq<4|8>[x<4|8>] or leanvec-ood.<d>.lvq<4|8>[x<4|8>]");
    }

    /** The canonical name, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return switch (kind) {
            case SQ -> "sq" + bits;
            case LVQ -> "lvq" + bits + (residualBits > 0 ? "x" + residualBits : "");
            case BINARY -> "binary";
            case LEANVEC_ID -> "leanvec-id." + reducedDim + ".lvq" + bits + (residualBits > 0 ? "x" + residualBits : "");
            case LEANVEC_OOD -> "leanvec-ood." + reducedDim + ".lvq" + bits + (residualBits > 0 ? "x" + residualBits : "");
        };
    }

    /** Whether training needs a sample of queries (LeanVec-OOD). */
    public boolean needsQueries() {
        return kind == Kind.LEANVEC_OOD;
    }
}
