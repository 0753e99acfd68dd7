package io.panavec;

import io.panavec.engine.Candidates;
import io.panavec.store.VectorStore;

import java.util.ArrayList;
import java.util.List;

/** The one mapping of engine results (store rows) to {@link SearchHit}s with their external ids. */
final class SearchHits {
    private SearchHits() {}

    static List<SearchHit> of(Candidates c, VectorStore store) {
        List<SearchHit> hits = new ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            long row = c.rows()[i];
            hits.add(new SearchHit(store.externalId(row), row, c.scores()[i]));
        }
        return hits;
    }

    static SearchResult result(Candidates c, VectorStore store) {
        return new SearchResult(of(c, store), c.label(), c.scored());
    }
}
