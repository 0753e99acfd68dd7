/*
 * panavec_quant.h: scoring a float query directly against quantized codes (SQ, LVQ, LeanVec,
 * binary), one-to-one, one-to-many, fused top-k, and HNSW traversal over codes.
 *
 * Code row (PV_QUANT_HEADER_BYTES header, then packed codes of pdim = dim rounded up to 32):
 *   float a, float b      per-row affine map: decoded y_i = a + b * c_i (LVQ: min and step of the
 *                          row; SQ: a = 0, b = 1 with the per-dimension map folded into the query;
 *                          binary: a = -alpha, b = 2 * alpha)
 *   float norm2           squared norm of the decoded vector (primary level), used by L2
 *   float norm2_full      squared norm with the residual level added (0 if there is none)
 *   codes, bits per code 1, 4 or 8:
 *     8: byte i = c_i
 *     4: per block of 32 dims, 16 bytes; byte j = c_{32t+j} | c_{32t+16+j} << 4
 *     1: per block of 32 dims, one little-endian uint32; bit j = c_{32t+j}
 *   Padding codes (dims dim..pdim) are 0. Residual rows (two-level LVQ) have no header: only the
 *   codes, in the same packing, of the residual in [-b/2, b/2] with step b / (2^bits2 - 1).
 *
 * Prepared query (pdim + 4 floats, built by the caller from the quantizer's parameters):
 *   qt[0..pdim)  the query in code space (projected and/or scaled per dimension; padding 0)
 *   qt[pdim]     C0 = <q, base>  (the part of the decoded vector that does not depend on the row)
 *   qt[pdim+1]   C1 = sum_i qt[i]
 *   qt[pdim+2]   ||q||^2 (L2 only)
 *   qt[pdim+3]   unused (0)
 * IP score = C0 + a*C1 + b*<qt, c>   (+ for two levels: -b/2*C1 + b2*<qt, c2>)
 * L2 score = ||q||^2 - 2 * IP + norm2 (norm2_full for two levels): the squared distance to the
 * decoded vector, so lower is better; IP higher is better. COSINE is not offered: normalize the
 * vectors and use IP.
 *
 * Kernels trust their arguments (see panavec.h); the Java side validates them. They dispatch at
 * run time on the level of pv_isa_active() and never decode a row to float32.
 */
#ifndef PANAVEC_QUANT_H
#define PANAVEC_QUANT_H

#include <stdint.h>

#include "panavec.h"
#include "panavec_graph.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PV_QUANT_HEADER_BYTES 16
#define PV_QUANT_QUERY_EXTRA 4

/* A read-only view of code rows laid out like pv_vectors (chunks of 2^rows_per_chunk_log2 rows);
 * row r is at chunks[r >> log2] + (r & mask) * pv_quant_row_bytes(bits, dim). */
typedef struct {
    const void *const *chunks;
    int64_t rows_per_chunk_log2;
    int64_t count;
    int32_t dim;  /* dimension of the code space (the reduced one for LeanVec) */
    int32_t bits; /* 1, 4 or 8 */
} pv_codes;

/* dim rounded up to 32. */
PV_API int64_t pv_quant_padded_dim(int64_t dim);
/* Bytes of one code row with header (with_header = 1) or of a residual row (0); -1 if bits is not 1, 4, 8. */
PV_API int64_t pv_quant_row_bytes(int32_t bits, int64_t dim, int32_t with_header);

/* One row: primary level only. */
PV_API float pv_quant_score(int32_t metric, int32_t bits, const float *qt, const void *row, int64_t dim);
/* One row, two levels: primary row (with header) plus its residual row of bits2 (4 or 8). */
PV_API float pv_quant_score2(int32_t metric, int32_t bits, int32_t bits2, const float *qt, const void *row,
                             const void *residual, int64_t dim);
/* n contiguous rows. */
PV_API void pv_quant_scores(int32_t metric, int32_t bits, const float *qt, const void *rows, int64_t n, int64_t dim,
                            float *out);
/* Fused top-k over n contiguous rows (same heap contract as pv_f32_topk in panavec.h). */
PV_API int64_t pv_quant_topk(int32_t metric, int32_t bits, const float *qt, const void *rows, int64_t n, int64_t dim,
                             int64_t base_row, const uint64_t *allow, int64_t k, float *heap_scores,
                             int64_t *heap_rows, int64_t heap_size);

/* HNSW search whose traversal scores codes instead of the vectors the graph was built from
 * (graph node r = code row r). qt is a prepared query for codes; the graph's metric is used.
 * Same contract and outputs as pv_hnsw_search (scores are code scores). */
PV_API int32_t pv_hnsw_search_codes(const pv_hnsw *index, const pv_codes *codes, const float *qt, int32_t k,
                                    int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores,
                                    int32_t *out_n_found, int64_t *out_n_distance_computations, char *err,
                                    int64_t errcap);

#ifdef __cplusplus
}
#endif
#endif
