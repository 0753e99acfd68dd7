package io.panavec;

/**
 * How vectors are compared. {@link #INNER_PRODUCT} and {@link #COSINE} are similarities (larger
 * is better); {@link #L2} is the squared Euclidean distance (smaller is better).
 */
public enum Metric {
    INNER_PRODUCT,
    L2,
    COSINE
}
