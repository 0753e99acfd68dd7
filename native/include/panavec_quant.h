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
 * The functions are the "quant" group of panavec.def, where each is documented.
 */
#ifndef PANAVEC_QUANT_H
#define PANAVEC_QUANT_H

#include <stdint.h>

#include "panavec.h"
#include "panavec_graph.h"

/* A read-only view of code rows laid out like pv_vectors (chunks of 2^rows_per_chunk_log2 rows);
 * row r is at chunks[r >> log2] + (r & mask) * pv_quant_row_bytes(bits, dim). */
typedef struct {
    const void *const *chunks;
    int64_t rows_per_chunk_log2;
    int64_t count;
    int32_t dim;  /* dimension of the code space (the reduced one for LeanVec) */
    int32_t bits; /* 1, 4 or 8 */
} pv_codes;

#define PV_SELECT_quant(x) x
#include "panavec_declare.h"

#endif
