/*
 * panavec_multivector.h: multi-vector (late-interaction) kernels: MUVERA Fixed Dimensional Encodings
 * (Dhulipala et al., 2024) and exact Chamfer / MaxSim scoring of token sets.
 *
 * Chamfer similarity of a query token set Q and a document token set D:
 *   chamfer(Q, D) = sum over q in Q of max over d in D of <q, d>.
 *
 * FDE (one repetition r of reps; the FDE is the repetitions side by side, then optionally
 * Count-Sketched to dfinal dims):
 *   - SimHash: token x falls into bucket g(x) of 2^ksim, from the signs of <x, h_{r,i}> for the
 *     ksim hyperplanes of the repetition (sign of hyperplane 0 is the most significant bit b_0 of the
 *     token's sign pattern); buckets are numbered in Gray-code order as in Google's reference
 *     (graph-mining sketching/point_cloud/fixed_dimensional_encoding.cc): g is built bit by bit,
 *     g <- 2g + (b_i xor (g & 1)), so the sign pattern of bucket g is g ^ (g >> 1).
 *   - inner projection: p(x)_j = <x, proj_{r,j}> for j < dproj (the caller draws proj: dense +-1
 *     scaled by 1/sqrt(dproj) as in the paper, a sparse AMS sketch as in the reference, or identity).
 *   - a query's block for bucket g is the SUM of p(x) over its tokens in g; a document's is their
 *     AVERAGE; with fill_empty (documents only) an empty bucket takes p(x) of the token whose sign
 *     pattern is nearest to the bucket's in Hamming distance (the first such token on ties).
 *   - ksim = 0: one bucket, nothing to fill.
 *   - final projection (dfinal > 0): out[sketch_index[t]] += sketch_sign[t] * raw[t] over the raw FDE.
 * All random matrices are drawn by the caller from a seed and passed in (and persisted by it), so the
 * queries and documents of an index always agree.
 *
 * Kernels trust their arguments (see panavec.h): the Java side validates dimensions, counts, ranges
 * and NaN before every call. The functions are the "multivector" group of panavec.def, where each is
 * documented; the MaxSim kernels dispatch through the ISA table.
 */
#ifndef PANAVEC_MULTIVECTOR_H
#define PANAVEC_MULTIVECTOR_H

#include <stdint.h>

#include "panavec.h"
#include "panavec_graph.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int32_t dim;    /* token dimension, >= 1 */
    int32_t reps;   /* repetitions, >= 1 */
    int32_t ksim;   /* SimHash hyperplanes per repetition, 0..20 (PV_FDE_MAX_KSIM) */
    int32_t dproj;  /* inner projection dimension, >= 1 */
    int32_t dfinal; /* final Count-Sketch dimension; 0 = none */
    int32_t fill_empty; /* documents: fill empty buckets (1) or leave them 0 (0) */
    const float *simhash;        /* reps * ksim rows of dim floats; hyperplane i of repetition r at row r*ksim + i */
    const float *proj;           /* reps * dproj rows of dim floats; output j of repetition r at row r*dproj + j */
    const int32_t *sketch_index; /* dfinal > 0: raw-dimension entries, each in [0, dfinal) */
    const float *sketch_sign;    /* dfinal > 0: raw-dimension entries, +1 or -1 */
    int32_t doc_norm; /* documents: scale each bucket's average (and a filling token) to unit length in token space (1) or not (0) */
} pv_fde_params;

#define PV_SELECT_multivector(x) x
#include "panavec_declare.h"

#ifdef __cplusplus
}
#endif
#endif
