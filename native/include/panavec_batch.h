/*
 * panavec_batch.h: many queries against many rows in one pass, keeping the best k of each query.
 * Conventions of panavec.h (metrics, element types, status codes, the heap of pv_*_topk).
 */
#ifndef PANAVEC_BATCH_H
#define PANAVEC_BATCH_H

#include "panavec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Scores nq f32 queries (row-major, queries[i * dim ..]) against n contiguous vectors x of element
 * type elem (PV_ELEM_F32 or PV_ELEM_F16) whose rows are base_row .. base_row+n-1, and merges them
 * into one bounded heap per query: query i's heap is heap_scores/heap_rows[i * k .. i * k + k) with
 * size heap_sizes[i] (0 <= size <= k on entry, updated on return), the layout of pv_f32_topk, so
 * heaps carry across the chunks of a store and pv_topk_sort sorts each. The rows are read in tiles
 * that stay in cache while every query is scored against them, so each row is read from memory
 * once per call, not once per query. allow as in pv_f32_topk (NULL: every row).
 * Returns PV_OK, PV_EINVAL (bad metric, element type or sizes), PV_ENOMEM (f16 tile buffer). */
PV_API int32_t pv_topk_batch(int32_t metric, int32_t elem, const float *queries, int64_t nq, const void *x,
                             int64_t n, int64_t dim, int64_t base_row, const uint64_t *allow, int64_t k,
                             float *heap_scores, int64_t *heap_rows, int64_t *heap_sizes);

#ifdef __cplusplus
}
#endif

#endif
