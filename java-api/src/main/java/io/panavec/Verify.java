package io.panavec;

/** How much of an index {@link PanavecIndex#open(java.nio.file.Path, Verify)} checks before it returns. */
public enum Verify {
    /**
     * O(1) in the data: the manifest and its seal, every component file against its recorded length and checksum
     * (they are read anyway), the store's header and its binding to the manifest (owner index, metric, dimension,
     * element type, rows).
     */
    QUICK,
    /**
     * QUICK, plus {@link PanavecIndex#verify}: the store's vectors and ids against their checksums (in parallel)
     * and the id map against the store; reads every committed row once.
     */
    FULL
}
