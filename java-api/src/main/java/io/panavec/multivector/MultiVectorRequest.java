package io.panavec.multivector;

import io.panavec.filter.Filter;
import io.panavec.internal.Checks;

/**
 * One multi-vector query and how hard to search for it. Immutable; the {@code with*} methods return copies.
 *
 * <p>{@code candidates}: documents taken from the FDE index and re-ranked by exact Chamfer (0: the default,
 * max(10k, 100); fewer than k count as k). {@code efSearch}: the FDE graph's beam (0: max(candidates, 64)).
 * {@code fdeRerank}: how many candidates a quantized FDE index re-scores with full-precision FDEs before the
 * Chamfer re-rank (0: the FDE index's default). {@code filter}: only documents whose attributes satisfy it
 * (null: none). The token arrays are not copied: do not change them while a search runs.
 */
public record MultiVectorRequest(float[][] queryTokens, int k, int candidates, int efSearch, int fdeRerank, Filter filter) {
    public MultiVectorRequest {
        if (queryTokens == null) {
            throw new IllegalArgumentException("query tokens are null");
        }
        Checks.requirePositiveK(k);
        if (candidates < 0 || efSearch < 0 || fdeRerank < 0) {
            throw new IllegalArgumentException("candidates, efSearch and fdeRerank must be >= 0 (0 = default), were "
                    + candidates + ", " + efSearch + ", " + fdeRerank);
        }
    }

    public static MultiVectorRequest of(float[][] queryTokens, int k) {
        return new MultiVectorRequest(queryTokens, k, 0, 0, 0, null);
    }

    /** Documents re-ranked by exact Chamfer (0: default). */
    public MultiVectorRequest withCandidates(int n) {
        return new MultiVectorRequest(queryTokens, k, n, efSearch, fdeRerank, filter);
    }

    public MultiVectorRequest withEfSearch(int ef) {
        return new MultiVectorRequest(queryTokens, k, candidates, ef, fdeRerank, filter);
    }

    public MultiVectorRequest withFdeRerank(int n) {
        return new MultiVectorRequest(queryTokens, k, candidates, efSearch, n, filter);
    }

    public MultiVectorRequest withFilter(Filter f) {
        return new MultiVectorRequest(queryTokens, k, candidates, efSearch, fdeRerank, f);
    }

    public MultiVectorRequest withFilter(String f) {
        return withFilter(Filter.parse(f));
    }

    /** The candidate depth this request asks for. */
    int depth() {
        return Math.max(k, candidates > 0 ? candidates : Math.max(10 * k, 100));
    }
}
