/* AVX-512 F/BW/VL/DQ kernels (compiled with those flags; only run when dispatch.c has seen the
 * features and OS support for ZMM state). Four independent 16-wide accumulators; the tail is one
 * masked load, which never touches memory past the vector. f32 and f16 share one body: `h`
 * selects how x is loaded and is a compile-time constant after inlining. */
#include <immintrin.h>

#include "kernels.h"
#include "panavec.h"

#define AI static inline __attribute__((always_inline))

AI __mmask16 tail16(int64_t r) { return (__mmask16)((1u << r) - 1u); } /* r in 1..15 */

AI __m512 ldx(const void *x, int64_t i, int h) {
    if (h) return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)((const uint16_t *)x + i)));
    return _mm512_loadu_ps((const float *)x + i);
}

AI __m512 ldx_tail(const void *x, int64_t i, __mmask16 m, int h) {
    if (h) return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, (const uint16_t *)x + i));
    return _mm512_maskz_loadu_ps(m, (const float *)x + i);
}

AI float ip(const float *q, const void *x, int64_t dim, int h) {
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
    for (; i + 64 <= dim; i += 64) {
        a0 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), ldx(x, i, h), a0);
        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i + 16), ldx(x, i + 16, h), a1);
        a2 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i + 32), ldx(x, i + 32, h), a2);
        a3 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i + 48), ldx(x, i + 48, h), a3);
    }
    for (; i + 16 <= dim; i += 16) a0 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), ldx(x, i, h), a0);
    if (i < dim) {
        __mmask16 m = tail16(dim - i);
        a1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, q + i), ldx_tail(x, i, m, h), a1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}

AI __m512 sq_diff(__m512 a, __m512 b, __m512 acc) {
    __m512 d = _mm512_sub_ps(a, b);
    return _mm512_fmadd_ps(d, d, acc);
}

AI float l2(const float *q, const void *x, int64_t dim, int h) {
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
    for (; i + 64 <= dim; i += 64) {
        a0 = sq_diff(_mm512_loadu_ps(q + i), ldx(x, i, h), a0);
        a1 = sq_diff(_mm512_loadu_ps(q + i + 16), ldx(x, i + 16, h), a1);
        a2 = sq_diff(_mm512_loadu_ps(q + i + 32), ldx(x, i + 32, h), a2);
        a3 = sq_diff(_mm512_loadu_ps(q + i + 48), ldx(x, i + 48, h), a3);
    }
    for (; i + 16 <= dim; i += 16) a0 = sq_diff(_mm512_loadu_ps(q + i), ldx(x, i, h), a0);
    if (i < dim) {
        __mmask16 m = tail16(dim - i);
        a1 = sq_diff(_mm512_maskz_loadu_ps(m, q + i), ldx_tail(x, i, m, h), a1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}

AI void dot_xx(const float *q, const void *x, int64_t dim, int h, float *dot, float *xx) {
    __m512 d0 = _mm512_setzero_ps(), d1 = d0, n0 = d0, n1 = d0;
    int64_t i = 0;
    for (; i + 32 <= dim; i += 32) {
        __m512 v0 = ldx(x, i, h), v1 = ldx(x, i + 16, h);
        d0 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), v0, d0);
        d1 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i + 16), v1, d1);
        n0 = _mm512_fmadd_ps(v0, v0, n0);
        n1 = _mm512_fmadd_ps(v1, v1, n1);
    }
    for (; i + 16 <= dim; i += 16) {
        __m512 v = ldx(x, i, h);
        d0 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), v, d0);
        n0 = _mm512_fmadd_ps(v, v, n0);
    }
    if (i < dim) {
        __mmask16 m = tail16(dim - i);
        __m512 v = ldx_tail(x, i, m, h);
        d1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, q + i), v, d1);
        n1 = _mm512_fmadd_ps(v, v, n1);
    }
    *dot = _mm512_reduce_add_ps(_mm512_add_ps(d0, d1));
    *xx = _mm512_reduce_add_ps(_mm512_add_ps(n0, n1));
}

AI float qq_of(const float *q, int64_t dim) { return ip(q, q, dim, 0); }

AI float cosine(const float *q, const void *x, int64_t dim, int h) {
    float dot, xx;
    dot_xx(q, x, dim, h, &dot, &xx);
    return pv_cosine_from(dot, qq_of(q, dim), xx);
}

AI float score(int32_t metric, const float *q, const void *x, int64_t dim, int h) {
    switch (metric) {
    case PV_METRIC_L2: return l2(q, x, dim, h);
    case PV_METRIC_COSINE: return cosine(q, x, dim, h);
    default: return ip(q, x, dim, h);
    }
}

float f32_score_avx512(int32_t metric, const float *q, const float *x, int64_t dim) { return score(metric, q, x, dim, 0); }
float f16_score_avx512(int32_t metric, const float *q, const uint16_t *x, int64_t dim) { return score(metric, q, x, dim, 1); }

/* One-to-many f32/f16 scans come from the AVX2 table: measured on AMD EPYC (Zen 4, which executes
 * 512-bit operations as two 256-bit halves), the 512-bit streaming scan of the 115,659 x 384 base ran
 * at 11.8 GB/s against 19.6 GB/s for the 256-bit one, interleaved in one process (JMH: 94 vs 134
 * queries/s), while one-to-one scores (graph walks) are as fast or faster at 512 bits. */

/* ---- i8: 32 bytes widened to 32 x i16, pairs multiply-added into 16 int32 lanes (exact) --- */

AI __m512i ld16(const int8_t *p) { return _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)p)); }

AI __m512i ld16_tail(const int8_t *p, __mmask32 m) { return _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(m, p)); }

AI void i8_acc(int32_t metric, __m512i a, __m512i b, __m512i *d, __m512i *e, __m512i *qq, __m512i *xx) {
    if (metric == PV_METRIC_L2) {
        __m512i t = _mm512_sub_epi16(a, b);
        *e = _mm512_add_epi32(*e, _mm512_madd_epi16(t, t));
    } else {
        *d = _mm512_add_epi32(*d, _mm512_madd_epi16(a, b));
        if (metric == PV_METRIC_COSINE) {
            *qq = _mm512_add_epi32(*qq, _mm512_madd_epi16(a, a));
            *xx = _mm512_add_epi32(*xx, _mm512_madd_epi16(b, b));
        }
    }
}

/* Sums over len <= PV_I8_BLOCK elements into s[0] = q.x, s[1] = |q-x|^2, s[2] = |q|^2, s[3] = |x|^2. */
AI void i8_block(int32_t metric, const int8_t *q, const int8_t *x, int64_t len, int64_t s[4]) {
    __m512i d = _mm512_setzero_si512(), e = d, qq = d, xx = d;
    int64_t i = 0;
    for (; i + 32 <= len; i += 32) i8_acc(metric, ld16(q + i), ld16(x + i), &d, &e, &qq, &xx);
    if (i < len) {
        __mmask32 m = (__mmask32)((1ull << (len - i)) - 1u);
        i8_acc(metric, ld16_tail(q + i, m), ld16_tail(x + i, m), &d, &e, &qq, &xx);
    }
    s[0] += _mm512_reduce_add_epi32(d);
    s[1] += _mm512_reduce_add_epi32(e);
    s[2] += _mm512_reduce_add_epi32(qq);
    s[3] += _mm512_reduce_add_epi32(xx);
}

#define PV_LEVEL avx512
#include "kernels_i8_entry.inc"
#undef PV_LEVEL

double stream_sum_f32_avx512(const float *x, int64_t n) {
    __m512d a0 = _mm512_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512 v0 = _mm512_loadu_ps(x + i), v1 = _mm512_loadu_ps(x + i + 16);
        a0 = _mm512_add_pd(a0, _mm512_cvtps_pd(_mm512_castps512_ps256(v0)));
        a1 = _mm512_add_pd(a1, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v0), 1))));
        a2 = _mm512_add_pd(a2, _mm512_cvtps_pd(_mm512_castps512_ps256(v1)));
        a3 = _mm512_add_pd(a3, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v1), 1))));
    }
    double s = _mm512_reduce_add_pd(_mm512_add_pd(_mm512_add_pd(a0, a1), _mm512_add_pd(a2, a3)));
    for (; i < n; i++) s += x[i];
    return s;
}

float f32_neg_dot_avx512(const float *q, const float *x, int64_t dim) { return -ip(q, x, dim, 0); }
float f32_l2sq_avx512(const float *q, const float *x, int64_t dim) { return l2(q, x, dim, 0); }

/* Shared with the AVX2 level: the one-to-many f32/f16 scans (see above), conversions and the hardware CRC. */
void f32_scores_avx512(int32_t metric, const float *q, const float *x, int64_t n, int64_t dim, float *out) {
    f32_scores_avx2(metric, q, x, n, dim, out);
}
void f16_scores_avx512(int32_t metric, const float *q, const uint16_t *x, int64_t n, int64_t dim, float *out) {
    f16_scores_avx2(metric, q, x, n, dim, out);
}
void f32_to_f16_avx512(const float *src, uint16_t *dst, int64_t n) { f32_to_f16_avx2(src, dst, n); }
void f16_to_f32_avx512(const uint16_t *src, float *dst, int64_t n) { f16_to_f32_avx2(src, dst, n); }
uint32_t crc32c_avx512(uint32_t crc, const void *data, int64_t len) { return crc32c_avx2(crc, data, len); }
