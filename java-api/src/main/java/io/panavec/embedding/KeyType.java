package io.panavec.embedding;

/** The keys of an {@link EmbeddingTable}: 64-bit integers (ids, hashes) or strings (tokens, names). */
public enum KeyType {
    LONG, STRING
}
