package io.panavec.store;

import java.util.Objects;
import java.util.UUID;

/**
 * Which index a store belongs to, recorded in every header slot when the store is created and never changed:
 * the index's identity and the code of the metric its rows are searched by. The store does not interpret
 * either; an index compares them with its manifest on open, so a store file swapped in from another index,
 * or a manifest naming another metric, is refused instead of answering wrongly. {@link #NONE} for stores of
 * no index (and stores written before owners were recorded). Immutable, thread-safe.
 *
 * @param indexId the owning index's identity ({@code new UUID(0, 0)} for none)
 * @param metricCode the owning index's metric, as that index encodes it (0 for none)
 */
public record StoreOwner(UUID indexId, int metricCode) {
    /** No owner. */
    public static final StoreOwner NONE = new StoreOwner(new UUID(0, 0), 0);

    public StoreOwner {
        Objects.requireNonNull(indexId, "indexId");
    }

    public boolean isNone() {
        return equals(NONE);
    }
}
