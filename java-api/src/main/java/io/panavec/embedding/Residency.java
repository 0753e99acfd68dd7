package io.panavec.embedding;

/**
 * Where a table's look-ups read its rows from ({@link EmbeddingTable#openReadOnly(java.nio.file.Path, Residency)}).
 */
public enum Residency {
    /**
     * The default: rows are read from the memory-mapped store file (the OS page cache, 4 kB pages here), no copy.
     */
    MAPPED,
    /**
     * The rows committed when the table is opened are copied into anonymous memory the table owns, 2 MiB-aligned and
     * advised for transparent huge pages before it is touched, and look-ups read them there: a batch look-up reads
     * rows in no order, so over a table larger than the TLB's reach (a few MB of 4 kB pages) nearly every row costs a
     * page walk, which 2 MiB pages remove. Costs a copy of the rows ({@link EmbeddingTable#residentBytes()}: stored rows
     * x bytes per row, rounded up to 2 MiB) for as long as the table is open, plus the time to copy them at open; freed
     * at {@link EmbeddingTable#close()}. Read-only tables only, which see the table as of their open: a reopen makes a
     * fresh copy (of the rows upserted since, too). Whether the OS granted huge pages shows in {@code AnonHugePages} of
     * {@code /proc/self/smaps} (Linux with transparent huge pages set to {@code always} or {@code madvise}); without
     * them the copy still serves, with small pages.
     */
    HUGE_PAGES
}
