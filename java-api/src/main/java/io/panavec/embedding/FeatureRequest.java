package io.panavec.embedding;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The embedding look-ups of one model request: many features at once, each single-valued (one value per example)
 * or multi-valued (bags with EmbeddingBag offsets and a pooling). {@link EmbeddingFeatures#lookup(FeatureRequest,
 * java.lang.foreign.MemorySegment)} writes the features' vectors back to back in the order they were added.
 * Immutable once built (the arrays are not copied: do not change them while a look-up runs).
 */
public final class FeatureRequest {
    /** One feature's look-up: long or string values, and for bags their offsets and pooling (null: single-valued). */
    record Part(String feature, long[] longValues, String[] stringValues, int[] offsets, Pooling pool) {
        int vectors() {
            return offsets != null ? offsets.length : longValues != null ? longValues.length : stringValues.length;
        }
    }

    private final List<Part> parts;

    private FeatureRequest(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    public static Builder builder() {
        return new Builder();
    }

    List<Part> parts() {
        return parts;
    }

    /** Vectors the request produces (one per single value, one per bag). */
    public long vectors() {
        long n = 0;
        for (Part p : parts) n += p.vectors();
        return n;
    }

    /** Builds a request; not thread-safe. */
    public static final class Builder {
        private final List<Part> parts = new ArrayList<>();

        private Builder() {}

        /** One vector per value of a single-valued feature. */
        public Builder single(String feature, long[] values) {
            parts.add(new Part(Objects.requireNonNull(feature, "feature"), Objects.requireNonNull(values, "values"), null, null, null));
            return this;
        }

        public Builder single(String feature, String[] values) {
            parts.add(new Part(Objects.requireNonNull(feature, "feature"), null, Objects.requireNonNull(values, "values"), null, null));
            return this;
        }

        /** One pooled vector per bag of a multi-valued feature ({@link EmbeddingTable#lookupBags} offsets). */
        public Builder bags(String feature, long[] values, int[] offsets, Pooling pool) {
            parts.add(new Part(Objects.requireNonNull(feature, "feature"), Objects.requireNonNull(values, "values"), null,
                    Objects.requireNonNull(offsets, "offsets"), Objects.requireNonNull(pool, "pool")));
            return this;
        }

        public Builder bags(String feature, String[] values, int[] offsets, Pooling pool) {
            parts.add(new Part(Objects.requireNonNull(feature, "feature"), null, Objects.requireNonNull(values, "values"),
                    Objects.requireNonNull(offsets, "offsets"), Objects.requireNonNull(pool, "pool")));
            return this;
        }

        public FeatureRequest build() {
            return new FeatureRequest(parts);
        }
    }
}
