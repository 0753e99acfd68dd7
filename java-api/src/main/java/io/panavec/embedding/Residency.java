package io.panavec.embedding;

/**
 * Where a table's look-ups read its rows from ({@link EmbeddingTable#openReadOnly(java.nio.file.Path, Residency)}).
 */
public enum Residency {
    /**
     * The default: rows are read from the memory-mapped store file (the OS page cache), no copy. A read-only open
     * advises its row and vocabulary mappings for transparent huge pages ({@code MADV_HUGEPAGE}) when they fit in half
     * the machine's memory: pages the page cache reads from then on come as 2 MiB folios (Linux with transparent huge
     * pages {@code madvise} or {@code always}, a file system with large folios such as xfs, or ext4 on the 6.18 kernel measured), which
     * map with 2 MiB pages, read about as fast as {@link #HUGE_PAGES}' copy without its memory
     * ({@code bench/results/embedding-lookup-wordnet-minilm-s6-final.md}). Pages already cached in
     * small folios (a file just written or copied on this machine) stay in 4 kB pages until the OS evicts them, unless
     * the kernel collapses file pages ({@code MADV_COLLAPSE}, tried on the ranges already cached: regular files need
     * {@code CONFIG_READ_ONLY_THP_FOR_FS}); {@link EmbeddingTable#hugePageBytes()} says how much is mapped with 2 MiB
     * pages. Why not for a writable table: a write into a 2 MiB folio dirties all of it, so every commit's sync would
     * write 2 MiB per touched folio; why not beyond half the memory: every page-cache miss would read 2 MiB.
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
