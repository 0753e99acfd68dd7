/*
 * panavec_graph.h: an HNSW graph index (Malkov & Yashunin) over vectors that live outside it.
 *
 * The graph stores only links. The vectors stay in the caller's (memory-mapped) store and are
 * described by a pv_vectors passed to every call that scores; graph node i is store row i.
 * Rows are appended in order: add_range(first_row = current count, n).
 *
 * Scores out: PV_METRIC_IP is the dot product (higher is better; cosine = IP on normalized
 * vectors, normalized by the caller); PV_METRIC_L2 is the squared Euclidean distance (lower is
 * better). Results are sorted best first, ties by ascending row.
 *
 * Thread safety: pv_hnsw_search may run from any number of threads at once, concurrently with
 * one pv_hnsw_add_range / pv_hnsw_mark_deleted caller (adds are serialized by the index itself:
 * concurrent add_range calls wait for each other). A search that runs while rows are added sees
 * some prefix of the new links: its results are valid rows, the new rows may or may not appear.
 * pv_hnsw_free and pv_hnsw_save must not overlap any other call on the same handle
 * (pv_hnsw_save may overlap searches, not adds).
 *
 * Conventions of panavec.h apply (int32 status, out-params, err/errcap message buffers).
 */
#ifndef PANAVEC_GRAPH_H
#define PANAVEC_GRAPH_H

#include <stdint.h>

#include "panavec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* On-disk format version written by pv_hnsw_save. */
#define PV_HNSW_FORMAT_VERSION 1
/* Limits checked by pv_hnsw_create. */
#define PV_HNSW_MAX_M 256
#define PV_HNSW_MAX_ROWS 2147483647LL

/* A read-only view of a vector store: row r is at
 *   (const char *)chunks[r >> rows_per_chunk_log2] + (r & ((1 << rows_per_chunk_log2) - 1)) * dim * elem_size.
 * count is the number of rows visible through this view; elem_type is PV_ELEM_*
 * (the graph supports PV_ELEM_F32). */
typedef struct {
    const void *const *chunks;
    int64_t rows_per_chunk_log2;
    int64_t count;
    int32_t dim;
    int32_t elem_type;
} pv_vectors;

typedef struct pv_hnsw pv_hnsw;

/* Creates an empty index. metric: PV_METRIC_IP or PV_METRIC_L2. M: links per node on upper
 * levels (2*M on level 0), 2..PV_HNSW_MAX_M. ef_construction >= 1. seed fixes node levels. */
PV_API int32_t pv_hnsw_create(int32_t dim, int32_t metric, int32_t m, int32_t ef_construction, uint64_t seed,
                              pv_hnsw **out, char *err, int64_t errcap);
/* Frees the index (NULL is ignored). */
PV_API void pv_hnsw_free(pv_hnsw *index);

/* Inserts rows first_row .. first_row+n-1 of vectors; first_row must equal pv_hnsw_count.
 * n_threads >= 1 threads insert in parallel (the node levels depend only on seed and row, the
 * links on the thread interleaving). */
PV_API int32_t pv_hnsw_add_range(pv_hnsw *index, const pv_vectors *vectors, int64_t first_row, int64_t n,
                                 int32_t n_threads, char *err, int64_t errcap);

/* Finds up to k nearest rows to query (dim floats) with a beam of max(ef_search, k).
 * allow: optional bitset over rows (bit r of allow[r >> 6] set = row r may be returned), at least
 * ceil(vectors->count / 64) words; NULL allows all. Deleted rows are never returned; both still
 * guide the walk. Rows >= vectors->count are ignored. out_rows/out_scores hold k entries;
 * *out_n_found receives how many were filled, *out_n_distance_computations (may be NULL) the number
 * of vectors scored. */
PV_API int32_t pv_hnsw_search(const pv_hnsw *index, const pv_vectors *vectors, const float *query, int32_t k,
                              int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores,
                              int32_t *out_n_found, int64_t *out_n_distance_computations, char *err,
                              int64_t errcap);

/* Like pv_hnsw_search, but filter-aware (ACORN-1 style) for selective filters: allow is required,
 * only rows that pass it (and are not tombstoned) are scored and enter the beam, and a neighbor
 * that fails is crossed to its own neighbors instead, so the walk is not cut off from the
 * matching rows. May return fewer than k even when k rows pass: callers that must guarantee k
 * finish with an exact scan of the passing rows. */
PV_API int32_t pv_hnsw_search_filtered(const pv_hnsw *index, const pv_vectors *vectors, const float *query,
                                       int32_t k, int32_t ef_search, const uint64_t *allow, int64_t *out_rows,
                                       float *out_scores, int32_t *out_n_found,
                                       int64_t *out_n_distance_computations, char *err, int64_t errcap);

/* Tombstones a row: never returned again, still used for navigation. Idempotent. */
PV_API int32_t pv_hnsw_mark_deleted(pv_hnsw *index, int64_t row, char *err, int64_t errcap);
/* 1 if row is tombstoned, 0 if not, -1 if row is out of range. */
PV_API int32_t pv_hnsw_is_deleted(const pv_hnsw *index, int64_t row);

/* Builds a fresh index over the same rows in which tombstoned rows are unlinked (they keep their
 * row number and tombstone but are no longer reachable), so searches stop paying for them.
 * The old index is unchanged. Use it when the deleted fraction grows; rows renumbered by a
 * compacted store need a new index from pv_hnsw_create + pv_hnsw_add_range instead. */
PV_API int32_t pv_hnsw_rebuild(const pv_hnsw *index, const pv_vectors *vectors, int32_t n_threads,
                               pv_hnsw **out, char *err, int64_t errcap);

/* Rows in the index (deleted included), tombstoned rows, and the fixed parameters. */
PV_API int64_t pv_hnsw_count(const pv_hnsw *index);
PV_API int64_t pv_hnsw_deleted_count(const pv_hnsw *index);
PV_API int32_t pv_hnsw_dim(const pv_hnsw *index);
PV_API int32_t pv_hnsw_metric(const pv_hnsw *index);
PV_API int32_t pv_hnsw_m(const pv_hnsw *index);
PV_API int32_t pv_hnsw_ef_construction(const pv_hnsw *index);
/* Bytes of native memory held by the index (links, node metadata). */
PV_API int64_t pv_hnsw_memory_bytes(const pv_hnsw *index);

/* Writes the index to path (overwriting it): a versioned header (magic, version, dim, metric, M,
 * count, ...) then the links, with a CRC-32C over the body. Atomic replacement (temp name +
 * rename) is the caller's job. */
PV_API int32_t pv_hnsw_save(const pv_hnsw *index, const char *path, char *err, int64_t errcap);
/* Reads an index written by pv_hnsw_save. A file that is not one, has another version, dim or
 * metric than expected, is truncated or fails its checksum gives PV_ECORRUPT and a message. */
PV_API int32_t pv_hnsw_load(const char *path, int32_t expected_dim, int32_t expected_metric, pv_hnsw **out,
                            char *err, int64_t errcap);

#ifdef __cplusplus
}
#endif
#endif
