package io.panavec;

import io.panavec.engine.SearchEngine;

import java.io.IOException;
import java.util.List;

/**
 * What the writer side of a {@link PanavecIndex} does to its {@link IndexParts}: rows appended and linked
 * into the engine, training, the catch-up on open, compaction. Called under the index's writer lock with
 * validated, prepared (cosine-normalized) vectors; the facade owns the locking.
 */
final class IndexWrites {
    private final IndexParts parts;
    private final int threads;

    IndexWrites(IndexParts parts, int threads) {
        this.parts = parts;
        this.threads = threads;
    }

    /** On open: links store rows committed after the engine's files were written, tombstones rows deleted or replaced since. */
    void catchUp() {
        linkNewRows();
        parts.tombstoneDead();
    }

    /** Appends the rows (upserting their ids) and links them: searchable on return. */
    void add(long[] ids, float[][] prepared, List<Object[]> records) throws IOException {
        long first = parts.store.size();
        long[] replaced = parts.append(ids, prepared, records);
        linkNewRows();
        for (long row : replaced) {
            if (row >= first) parts.engine.markDeleted(row); // rows of this batch that a later one replaced, once linked
        }
    }

    /** Trains the engine on {@code prepared} and encodes or links the rows added before. */
    void train(float[][] prepared) {
        parts.engine.train(prepared);
        linkNewRows();
    }

    /** Starts a rebuild without the deleted rows (beside searches and adds); null when the engine has nothing to compact. */
    SearchEngine.Compaction compaction() {
        return parts.engine.compaction(parts.store, threads, parts.deleted);
    }

    private void linkNewRows() {
        parts.engine.link(parts.store, threads);
    }
}
