package io.panavec.documents;

import java.util.Map;

/**
 * One search hit of a {@link DocumentIndex}: the document's id, the similarity of the index's metric
 * (cosine or inner product, higher is closer), its stored vector (null unless asked for; unit length for
 * cosine), text (null for none) and metadata with the types it was added with.
 */
public record Match(String id, double similarity, float[] vector, String text, Map<String, Object> metadata) {}
