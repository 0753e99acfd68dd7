/*
 * panavec_graph.h: an HNSW graph index (Malkov & Yashunin) over vectors that live outside it.
 *
 * The graph stores only links. The vectors stay in the caller's (memory-mapped) store and are
 * described by a pv_vectors passed to every call that scores; graph node i is store row i.
 * Rows are appended in order: add_range(first_row = current count, n).
 *
 * Scores out: PV_METRIC_IP is the dot product (higher is better; cosine = IP on normalized
 * vectors, normalized by the caller); PV_METRIC_L2 is the squared Euclidean distance (lower is
 * better). Results are sorted best first, ties by ascending row. Walks score at the ISA level in
 * use when the call starts (pv_isa_active).
 *
 * Thread safety: pv_hnsw_search may run from any number of threads at once, concurrently with
 * one pv_hnsw_add_range / pv_hnsw_mark_deleted caller (adds are serialized by the index itself:
 * concurrent add_range calls wait for each other). A search that runs while rows are added sees
 * some prefix of the new links: its results are valid rows, the new rows may or may not appear.
 * pv_hnsw_free and pv_hnsw_save must not overlap any other call on the same handle
 * (pv_hnsw_save may overlap searches, not adds).
 *
 * The functions (the "graph" group of panavec.def, where each is documented) follow panavec.h's
 * conventions (int32 status, out-params, err/errcap message buffers).
 */
#ifndef PANAVEC_GRAPH_H
#define PANAVEC_GRAPH_H

#include <stdint.h>

#include "panavec.h"

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

#define PV_SELECT_graph(x) x
#include "panavec_declare.h"

#endif
