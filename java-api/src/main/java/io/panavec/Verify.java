package io.panavec;

/** How much of an index {@link PanavecIndex#open(java.nio.file.Path, Verify)} checks before it returns. */
public enum Verify {
    /**
     * O(1) in the data: the manifest, every component file against its recorded length and checksum (they
     * are read anyway), the store's header and its binding to the manifest (rows, dimension).
     */
    QUICK,
    /** QUICK, plus the store's vectors and ids against their checksums: reads every committed row once. */
    FULL
}
