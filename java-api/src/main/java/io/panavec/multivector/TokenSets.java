package io.panavec.multivector;

/** Checks on token sets done in Java before any downcall, so bad input is an exception, never a crash. */
final class TokenSets {
    private TokenSets() {}

    /**
     * Checks {@code tokens} (at least one token, each {@code dim} finite floats) and packs them row-major.
     *
     * @throws IllegalArgumentException naming the set ({@code what}) and the bad token
     */
    static float[] pack(float[][] tokens, int dim, String what) {
        if (tokens == null) {
            throw new IllegalArgumentException(what + " token set is null");
        }
        if (tokens.length == 0) {
            throw new IllegalArgumentException(what + " token set is empty: a " + what + " needs at least one token vector");
        }
        float[] out = new float[Math.multiplyExact(tokens.length, dim)];
        for (int i = 0; i < tokens.length; i++) {
            float[] t = tokens[i];
            if (t == null) {
                throw new IllegalArgumentException(what + " token " + i + " is null");
            }
            if (t.length != dim) {
                throw new IllegalArgumentException(what + " token " + i + " has dimension " + t.length + ", expected " + dim);
            }
            for (int j = 0; j < dim; j++) {
                if (!Float.isFinite(t[j])) {
                    throw new IllegalArgumentException(what + " token " + i + " has a non-finite value (" + t[j] + ") at index " + j);
                }
            }
            System.arraycopy(t, 0, out, i * dim, dim);
        }
        return out;
    }
}
