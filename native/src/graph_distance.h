/*
 * Distances used by the graph index, as "lower is closer": -dot for IP, squared L2 for L2.
 *
 * Internal seam: the graph calls only graph_distance_pick() and the function pointer it returns.
 * When the shared kernel table (panavec.h dispatch) lands, point graph_distance_pick at it.
 */
#ifndef PV_GRAPH_DISTANCE_H
#define PV_GRAPH_DISTANCE_H

#include <immintrin.h>
#include <stdint.h>

#include "panavec.h"

typedef float (*graph_distance_fn)(const float *q, const float *x, int64_t dim);

static inline float graph_neg_dot_scalar(const float *q, const float *x, int64_t dim) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int64_t i = 0;
    for (; i + 4 <= dim; i += 4) {
        s0 += q[i] * x[i];
        s1 += q[i + 1] * x[i + 1];
        s2 += q[i + 2] * x[i + 2];
        s3 += q[i + 3] * x[i + 3];
    }
    for (; i < dim; i++) s0 += q[i] * x[i];
    return -((s0 + s1) + (s2 + s3));
}

static inline float graph_l2sq_scalar(const float *q, const float *x, int64_t dim) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int64_t i = 0;
    for (; i + 4 <= dim; i += 4) {
        float d0 = q[i] - x[i], d1 = q[i + 1] - x[i + 1], d2 = q[i + 2] - x[i + 2], d3 = q[i + 3] - x[i + 3];
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
    }
    for (; i < dim; i++) {
        float d = q[i] - x[i];
        s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
}

__attribute__((target("avx2,fma"))) static inline float graph_hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) static float graph_neg_dot_avx2(const float *q, const float *x, int64_t dim) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= dim; i += 32) {
        a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(x + i), a0);
        a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 8), _mm256_loadu_ps(x + i + 8), a1);
        a2 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 16), _mm256_loadu_ps(x + i + 16), a2);
        a3 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 24), _mm256_loadu_ps(x + i + 24), a3);
    }
    for (; i + 8 <= dim; i += 8) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(x + i), a0);
    float s = graph_hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    for (; i < dim; i++) s += q[i] * x[i];
    return -s;
}

__attribute__((target("avx2,fma"))) static float graph_l2sq_avx2(const float *q, const float *x, int64_t dim) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= dim; i += 32) {
        __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(x + i));
        __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(q + i + 8), _mm256_loadu_ps(x + i + 8));
        __m256 d2 = _mm256_sub_ps(_mm256_loadu_ps(q + i + 16), _mm256_loadu_ps(x + i + 16));
        __m256 d3 = _mm256_sub_ps(_mm256_loadu_ps(q + i + 24), _mm256_loadu_ps(x + i + 24));
        a0 = _mm256_fmadd_ps(d0, d0, a0);
        a1 = _mm256_fmadd_ps(d1, d1, a1);
        a2 = _mm256_fmadd_ps(d2, d2, a2);
        a3 = _mm256_fmadd_ps(d3, d3, a3);
    }
    for (; i + 8 <= dim; i += 8) {
        __m256 d = _mm256_sub_ps(_mm256_loadu_ps(q + i), _mm256_loadu_ps(x + i));
        a0 = _mm256_fmadd_ps(d, d, a0);
    }
    float s = graph_hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
    for (; i < dim; i++) {
        float d = q[i] - x[i];
        s += d * d;
    }
    return s;
}

static float graph_neg_dot_scalar_fn(const float *q, const float *x, int64_t dim) {
    return graph_neg_dot_scalar(q, x, dim);
}
static float graph_l2sq_scalar_fn(const float *q, const float *x, int64_t dim) {
    return graph_l2sq_scalar(q, x, dim);
}

/* The fastest distance for metric this CPU runs. PANAVEC_ISA=scalar forces the scalar one
 * (as the shared dispatch does), so tests can cover both. */
static inline graph_distance_fn graph_distance_pick(int32_t metric, int32_t force_scalar) {
    __builtin_cpu_init();
    int avx2 = !force_scalar && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (metric == PV_METRIC_L2) return avx2 ? graph_l2sq_avx2 : graph_l2sq_scalar_fn;
    return avx2 ? graph_neg_dot_avx2 : graph_neg_dot_scalar_fn;
}

#endif
