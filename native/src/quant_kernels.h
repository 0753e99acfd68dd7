/* Kernels on quantized codes (panavec_quant.h): the quant_* entries of the one ISA kernel table
 * (kernels.h), implemented in quant_scalar.c, quant_avx2.c and quant_avx512.c. Not part of the ABI.
 * Every dot kernel computes <qt, c> over pdim (a multiple of 32) dims straight from the packed codes. */
#ifndef PV_QUANT_KERNELS_H
#define PV_QUANT_KERNELS_H

#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
/* A query rounded to int8 for the 4-bit walk, in a float buffer the graph passes as its query:
 * f[0] = scale (q_i ~ scale * qi_i), f[1..3] = the float query's C0, C1, ||q||^2 (qt[pd..pd+2]), then pd int8 at
 * byte 16. PV_QUANT_I8_MAX_PDIM bounds the dims the walk rounds (a stack buffer); wider queries walk in float. */
#define PV_QUANT_I8_MAX_PDIM 4096
#define PV_QUANT_I8_FLOATS(pd) (4 + (pd) / 4)
static inline const int8_t *pv_quant_i8_codes(const float *f) { return (const int8_t *)(f + 4); }

/* Rounds qt (pd + PV_QUANT_QUERY_EXTRA floats) into out (PV_QUANT_I8_FLOATS(pd) floats): scale = max |q_i| / 127,
 * q_i rounded to nearest (ties to even), so each is within half a scale step. In SSE2 (the x86-64 baseline, every
 * level has it): roundf and fmaxf are libm calls at this file's ISA level and the scalar clamps branch, 2-6% of a
 * 4-bit walk in the profile; pd is a multiple of 32. */
static inline void pv_quant_i8_query(const float *qt, int64_t pd, float *out) {
    int8_t *q = (int8_t *)(out + 4);
#ifdef __SSE2__
    const __m128 sign = _mm_set1_ps(-0.0f);
    __m128 mx = _mm_setzero_ps();
    for (int64_t i = 0; i < pd; i += 4) mx = _mm_max_ps(mx, _mm_andnot_ps(sign, _mm_loadu_ps(qt + i)));
    mx = _mm_max_ps(mx, _mm_movehl_ps(mx, mx));
    mx = _mm_max_ss(mx, _mm_shuffle_ps(mx, mx, 1));
    const float m = _mm_cvtss_f32(mx);
    const float scale = m > 0.0f ? m / 127.0f : 1.0f, inv = 1.0f / scale;
    const __m128 vi = _mm_set1_ps(inv), hi = _mm_set1_ps(127.0f), lo = _mm_set1_ps(-127.0f);
    for (int64_t i = 0; i < pd; i += 16) {
        __m128i r[4];
        for (int j = 0; j < 4; j++)
            r[j] = _mm_cvtps_epi32(_mm_max_ps(lo, _mm_min_ps(hi, _mm_mul_ps(_mm_loadu_ps(qt + i + 4 * j), vi))));
        _mm_storeu_si128((__m128i *)(q + i), _mm_packs_epi16(_mm_packs_epi32(r[0], r[1]), _mm_packs_epi32(r[2], r[3])));
    }
#else
    float m = 0.0f;
    for (int64_t i = 0; i < pd; i++) m = __builtin_fmaxf(m, __builtin_fabsf(qt[i]));
    const float scale = m > 0.0f ? m / 127.0f : 1.0f, inv = 1.0f / scale;
    for (int64_t i = 0; i < pd; i++) {
        float r = __builtin_rintf(qt[i] * inv);
        q[i] = (int8_t)(r > 127.0f ? 127.0f : r < -127.0f ? -127.0f : r);
    }
#endif
    out[0] = scale;
    out[1] = qt[pd];
    out[2] = qt[pd + 1];
    out[3] = qt[pd + 2];
}

/* The int8-query 4-bit graph distances of one level, from its quant_i8_dot_u4 (same formula as pv_quant_finish). */
#define PV_QUANT_I8_GRAPH_FNS(LEVEL)                                                                             \
    static inline float quant_i8u4_ip_##LEVEL(const float *q, const float *x, int64_t pd) {                      \
        const int32_t dot = quant_i8_dot_u4_##LEVEL(pv_quant_i8_codes(q), (const uint8_t *)x + PV_QUANT_HEADER_BYTES, pd); \
        return q[1] + x[0] * q[2] + x[1] * (q[0] * (float)dot);                                                  \
    }                                                                                                            \
    float quant_ip_dist_i8u4_##LEVEL(const float *q, const float *x, int64_t pd) { return -quant_i8u4_ip_##LEVEL(q, x, pd); } \
    float quant_l2_dist_i8u4_##LEVEL(const float *q, const float *x, int64_t pd) {                                \
        return q[3] - 2.0f * quant_i8u4_ip_##LEVEL(q, x, pd) + x[2];                                             \
    }

#define PV_QUANT_GRAPH_FNS(LEVEL)                      \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_IP, ip, -, 1)   \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_IP, ip, -, 4)   \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_IP, ip, -, 8)   \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_L2, l2, +, 1)   \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_L2, l2, +, 4)   \
    PV_QUANT_GRAPH_FN(LEVEL, PV_METRIC_L2, l2, +, 8)  \
    PV_QUANT_I8_GRAPH_FNS(LEVEL)

#endif
