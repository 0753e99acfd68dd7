/* Kernels on quantized codes (panavec_quant.h): one table per ISA level, filled by quant_scalar.c,
 * quant_avx2.c and quant_avx512.c, chosen per call from pv_isa_active(). Not part of the ABI.
 * Every kernel computes <qt, c> over pdim (a multiple of 32) dims straight from the packed codes. */
#ifndef PV_QUANT_KERNELS_H
#define PV_QUANT_KERNELS_H

#include <stdint.h>

#include "graph_distance.h"
#include "panavec_quant.h"

typedef float (*pv_quant_dot_fn)(const float *qt, const uint8_t *codes, int64_t pdim);

/* Index of a bit width in the tables: 1 -> 0, 4 -> 1, 8 -> 2, else -1. */
static inline int pv_quant_bits_index(int32_t bits) { return bits == 1 ? 0 : bits == 4 ? 1 : bits == 8 ? 2 : -1; }

typedef struct {
    int32_t isa;
    pv_quant_dot_fn dot[3];          /* by pv_quant_bits_index */
    graph_distance_fn graph[2][3];   /* [0 = IP as -score, 1 = L2][bits index]: x = row, dim = pdim */
} pv_quant_table;

extern const pv_quant_table pv_quant_scalar;
extern const pv_quant_table pv_quant_avx2;
extern const pv_quant_table pv_quant_avx512;

const pv_quant_table *pv_quant_active(void);

/* Score of one row given <qt, c> (IP: C0 + a*C1 + b*dot; L2 from the decoded norm). */
static inline float pv_quant_finish(int32_t metric, const float *qt, const float *hdr, float dot, int64_t pdim) {
    float ip = qt[pdim] + hdr[0] * qt[pdim + 1] + hdr[1] * dot;
    return metric == PV_METRIC_L2 ? qt[pdim + 2] - 2.0f * ip + hdr[2] : ip;
}

/* Graph distances ("lower is closer") for one ISA, from its three dot kernels. */
#define PV_QUANT_GRAPH_FNS(SUF, D1, D4, D8)                                                                    \
    static float gd_ip1_##SUF(const float *q, const float *x, int64_t pd) {                                    \
        return -pv_quant_finish(PV_METRIC_IP, q, x, D1(q, (const uint8_t *)x + PV_QUANT_HEADER_BYTES, pd), pd); \
    }                                                                                                          \
    static float gd_ip4_##SUF(const float *q, const float *x, int64_t pd) {                                    \
        return -pv_quant_finish(PV_METRIC_IP, q, x, D4(q, (const uint8_t *)x + PV_QUANT_HEADER_BYTES, pd), pd); \
    }                                                                                                          \
    static float gd_ip8_##SUF(const float *q, const float *x, int64_t pd) {                                    \
        return -pv_quant_finish(PV_METRIC_IP, q, x, D8(q, (const uint8_t *)x + PV_QUANT_HEADER_BYTES, pd), pd); \
    }                                                                                                          \
    static float gd_l21_##SUF(const float *q, const float *x, int64_t pd) {                                    \
        return pv_quant_finish(PV_METRIC_L2, q, x, D1(q, (const uint8_t *)x + PV_QUANT_HEADER_BYTES, pd), pd);  \
    }                                                                                                          \
    static float gd_l24_##SUF(const float *q, const float *x, int64_t pd) {                                    \
        return pv_quant_finish(PV_METRIC_L2, q, x, D4(q, (const uint8_t *)x + PV_QUANT_HEADER_BYTES, pd), pd);  \
    }                                                                                                          \
    static float gd_l28_##SUF(const float *q, const float *x, int64_t pd) {                                    \
        return pv_quant_finish(PV_METRIC_L2, q, x, D8(q, (const uint8_t *)x + PV_QUANT_HEADER_BYTES, pd), pd);  \
    }

#define PV_QUANT_TABLE(ISA, SUF, D1, D4, D8) \
    {ISA, {D1, D4, D8}, {{gd_ip1_##SUF, gd_ip4_##SUF, gd_ip8_##SUF}, {gd_l21_##SUF, gd_l24_##SUF, gd_l28_##SUF}}}

#endif
