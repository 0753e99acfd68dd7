package io.panavec;

import java.util.List;

/**
 * The answer to a {@link SearchRequest}: hits best first, which strategy produced them, and how many
 * vectors were scored to find them (the work done, comparable across strategies).
 */
public record SearchResult(List<SearchHit> hits, String strategy, long candidatesScored) {
    public SearchResult {
        hits = List.copyOf(hits);
    }

    public int size() {
        return hits.size();
    }

    public SearchHit get(int i) {
        return hits.get(i);
    }
}
