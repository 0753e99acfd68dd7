/* Kernels on quantized codes (panavec_quant.h): the quant_* entries of the one ISA kernel table
 * (kernels.h), implemented in quant_scalar.c, quant_avx2.c and quant_avx512.c. Not part of the ABI.
 * Every dot kernel computes <qt, c> over pdim (a multiple of 32) dims straight from the packed codes. */
#ifndef PV_QUANT_KERNELS_H
#define PV_QUANT_KERNELS_H

#include <stdint.h>

#include "graph_distance.h"
#include "kernels.h"
#include "panavec_quant.h"

typedef float (*pv_quant_dot_fn)(const float *qt, const uint8_t *codes, int64_t pdim);

/* 1 if bits is a code width the kernels handle (1, 4, 8). */
static inline int pv_quant_bits_ok(int32_t bits) { return bits == 1 || bits == 4 || bits == 8; }

/* The dot kernel of table t for a code width (1, 4 or 8, checked by the caller). */
static inline pv_quant_dot_fn pv_quant_dot(const pv_kernel_table *t, int32_t bits) {
    return bits == 1 ? t->quant_dot_u1 : bits == 4 ? t->quant_dot_u4 : t->quant_dot_u8;
}

/* The graph distance of table t on code rows of this width under the graph's metric. */
static inline graph_distance_fn pv_quant_graph_distance(const pv_kernel_table *t, int32_t metric, int32_t bits) {
    if (metric == PV_METRIC_L2) return bits == 1 ? t->quant_l2_dist_u1 : bits == 4 ? t->quant_l2_dist_u4 : t->quant_l2_dist_u8;
    return bits == 1 ? t->quant_ip_dist_u1 : bits == 4 ? t->quant_ip_dist_u4 : t->quant_ip_dist_u8;
}

/* Score of one row given <qt, c> (IP: C0 + a*C1 + b*dot; L2 from the decoded norm). */
static inline float pv_quant_finish(int32_t metric, const float *qt, const float *hdr, float dot, int64_t pdim) {
    float ip = qt[pdim] + hdr[0] * qt[pdim + 1] + hdr[1] * dot;
    return metric == PV_METRIC_L2 ? qt[pdim + 2] - 2.0f * ip + hdr[2] : ip;
}

/* The graph distances ("lower is closer") of one level, from its three dot kernels, which inline. */
#define PV_QUANT_GRAPH_FN(LEVEL, METRIC, NAME, SIGN, BITS)                                                       \
    float quant_##NAME##_dist_u##BITS##_##LEVEL(const float *q, const float *x, int64_t pd) {                  \
        return SIGN pv_quant_finish(METRIC, q, x, quant_dot_u##BITS##_##LEVEL(q, (const uint8_t *)x + PV_QUANT_HEADER_BYTES, pd), pd); \
    }
#define PV_QUANT_GRAPH_FNS(LEVEL)                      \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_IP, ip, -, 1)   \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_IP, ip, -, 4)   \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_IP, ip, -, 8)   \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_L2, l2, +, 1)   \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_L2, l2, +, 4)   \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_L2, l2, +, 8)

#endif
