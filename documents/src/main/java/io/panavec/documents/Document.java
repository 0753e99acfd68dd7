package io.panavec.documents;

import java.util.Map;
import java.util.Objects;

/**
 * One document of a {@link DocumentIndex}: a string id, its embedding, its text (null for none) and its
 * metadata (String, UUID, Integer, Long, Float, Double or Boolean values; kept with their exact types).
 */
public record Document(String id, float[] vector, String text, Map<String, ?> metadata) {
    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vector, "vector");
        metadata = metadata == null ? Map.of() : metadata;
    }
}
