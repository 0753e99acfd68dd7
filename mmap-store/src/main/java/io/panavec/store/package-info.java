/**
 * Memory-mapped, crash-safe vector storage: {@link io.panavec.store.VectorStore}.
 *
 * <p>File format (version 1, little-endian): two 64-byte header slots at offsets 0 and 4096 (see
 * {@code StoreHeader}), then chunks of {@code rowsPerChunk} rows from offset 8192, each chunk
 * page-aligned: vectors back to back (64-byte aligned), then the rows' int64 external ids.
 * A commit forces data before the header that publishes it; the two slots alternate by generation.
 */
package io.panavec.store;
