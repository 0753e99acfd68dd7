/* AVX2 + FMA + F16C kernels (compiled with -mavx2 -mfma -mf16c; only run when dispatch.c has
 * seen those features and OS support for YMM state). Four independent 8-wide accumulators hide
 * the FMA latency; tails use masked loads (f32) or a zero-padded copy (f16) so no load crosses
 * the end of a vector. The f32 and f16 kernels share one body: `h` selects how x is loaded and
 * is a compile-time constant after inlining. */
#include <immintrin.h>
#include <string.h>

#include "kernels.h"
#include "panavec.h"

#define AI static inline __attribute__((always_inline))

static const int32_t MASK_SRC[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

AI __m256i tail_mask(int64_t r) { return _mm256_loadu_si256((const __m256i *)(MASK_SRC + 8 - r)); } /* r in 1..7 */

AI float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

AI int32_t hsum_i(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    return _mm_cvtsi128_si32(s);
}

/* x[i..i+8) as floats; h: x holds halves. */
AI __m256 ldx(const void *x, int64_t i, int h) {
    if (h) return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)x + i)));
    return _mm256_loadu_ps((const float *)x + i);
}

/* x[i..i+r), r in 1..7, zero padded. */
AI __m256 ldx_tail(const void *x, int64_t i, int64_t r, int h) {
    if (h) {
        uint16_t b[8] = {0};
        memcpy(b, (const uint16_t *)x + i, (size_t)r * 2);
        return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)b));
    }
    return _mm256_maskload_ps((const float *)x + i, tail_mask(r));
}

AI float ip(const float *q, const void *x, int64_t dim, int h) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
    for (; i + 32 <= dim; i += 32) {
        a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), ldx(x, i, h), a0);
        a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 8), ldx(x, i + 8, h), a1);
        a2 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 16), ldx(x, i + 16, h), a2);
        a3 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 24), ldx(x, i + 24, h), a3);
    }
    for (; i + 8 <= dim; i += 8) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), ldx(x, i, h), a0);
    if (i < dim) a1 = _mm256_fmadd_ps(_mm256_maskload_ps(q + i, tail_mask(dim - i)), ldx_tail(x, i, dim - i, h), a1);
    return hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
}

AI __m256 sq_diff(__m256 a, __m256 b, __m256 acc) {
    __m256 d = _mm256_sub_ps(a, b);
    return _mm256_fmadd_ps(d, d, acc);
}

AI float l2(const float *q, const void *x, int64_t dim, int h) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
    for (; i + 32 <= dim; i += 32) {
        a0 = sq_diff(_mm256_loadu_ps(q + i), ldx(x, i, h), a0);
        a1 = sq_diff(_mm256_loadu_ps(q + i + 8), ldx(x, i + 8, h), a1);
        a2 = sq_diff(_mm256_loadu_ps(q + i + 16), ldx(x, i + 16, h), a2);
        a3 = sq_diff(_mm256_loadu_ps(q + i + 24), ldx(x, i + 24, h), a3);
    }
    for (; i + 8 <= dim; i += 8) a0 = sq_diff(_mm256_loadu_ps(q + i), ldx(x, i, h), a0);
    if (i < dim) a1 = sq_diff(_mm256_maskload_ps(q + i, tail_mask(dim - i)), ldx_tail(x, i, dim - i, h), a1);
    return hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
}

/* dot(q, x) and |x|^2 in one pass (cosine against a query whose norm is already known). */
AI void dot_xx(const float *q, const void *x, int64_t dim, int h, float *dot, float *xx) {
    __m256 d0 = _mm256_setzero_ps(), d1 = d0, n0 = d0, n1 = d0;
    int64_t i = 0;
    for (; i + 16 <= dim; i += 16) {
        __m256 v0 = ldx(x, i, h), v1 = ldx(x, i + 8, h);
        d0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), v0, d0);
        d1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 8), v1, d1);
        n0 = _mm256_fmadd_ps(v0, v0, n0);
        n1 = _mm256_fmadd_ps(v1, v1, n1);
    }
    for (; i + 8 <= dim; i += 8) {
        __m256 v = ldx(x, i, h);
        d0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), v, d0);
        n0 = _mm256_fmadd_ps(v, v, n0);
    }
    if (i < dim) {
        __m256 v = ldx_tail(x, i, dim - i, h);
        d1 = _mm256_fmadd_ps(_mm256_maskload_ps(q + i, tail_mask(dim - i)), v, d1);
        n1 = _mm256_fmadd_ps(v, v, n1);
    }
    *dot = hsum(_mm256_add_ps(d0, d1));
    *xx = hsum(_mm256_add_ps(n0, n1));
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

/* Vectors back to back; the start of the next one is prefetched because the hardware
 * prefetcher does not follow the stream across a 4 KiB page boundary. */
AI void scores(int32_t metric, const float *q, const void *x, int64_t n, int64_t dim, float *out, int h) {
    const size_t esz = h ? 2 : 4;
    const char *base = (const char *)x;
    const size_t stride = (size_t)dim * esz;
    if (metric == PV_METRIC_COSINE) {
        float qq = qq_of(q, dim), dot, xx;
        for (int64_t r = 0; r < n; r++) {
            const char *v = base + (size_t)r * stride;
            if (r + 1 < n) _mm_prefetch(v + stride, _MM_HINT_T0);
            dot_xx(q, v, dim, h, &dot, &xx);
            out[r] = pv_cosine_from(dot, qq, xx);
        }
    } else if (metric == PV_METRIC_L2) {
        for (int64_t r = 0; r < n; r++) {
            const char *v = base + (size_t)r * stride;
            if (r + 1 < n) _mm_prefetch(v + stride, _MM_HINT_T0);
            out[r] = l2(q, v, dim, h);
        }
    } else {
        for (int64_t r = 0; r < n; r++) {
            const char *v = base + (size_t)r * stride;
            if (r + 1 < n) _mm_prefetch(v + stride, _MM_HINT_T0);
            out[r] = ip(q, v, dim, h);
        }
    }
}

float f32_score_avx2(int32_t metric, const float *q, const float *x, int64_t dim) { return score(metric, q, x, dim, 0); }
float f16_score_avx2(int32_t metric, const float *q, const uint16_t *x, int64_t dim) { return score(metric, q, x, dim, 1); }
void f32_scores_avx2(int32_t metric, const float *q, const float *x, int64_t n, int64_t dim, float *out) {
    scores(metric, q, x, n, dim, out, 0);
}
void f16_scores_avx2(int32_t metric, const float *q, const uint16_t *x, int64_t n, int64_t dim, float *out) {
    scores(metric, q, x, n, dim, out, 1);
}

/* ---- i8: widen to i16, multiply-add pairs into int32 lanes (exact) ------------------------ */

AI __m256i ld16(const int8_t *p) { return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)p)); }

/* Sums over len <= PV_I8_BLOCK elements: s[0] = q.x, s[1] = |q-x|^2, s[2] = |q|^2, s[3] = |x|^2;
 * only those the metric needs are computed. */
AI void i8_block(int32_t metric, const int8_t *q, const int8_t *x, int64_t len, int64_t s[4]) {
    __m256i d = _mm256_setzero_si256(), e = d, qq = d, xx = d;
    int64_t i = 0;
    for (; i + 16 <= len; i += 16) {
        __m256i a = ld16(q + i), b = ld16(x + i);
        if (metric == PV_METRIC_L2) {
            __m256i t = _mm256_sub_epi16(a, b);
            e = _mm256_add_epi32(e, _mm256_madd_epi16(t, t));
        } else {
            d = _mm256_add_epi32(d, _mm256_madd_epi16(a, b));
            if (metric == PV_METRIC_COSINE) {
                qq = _mm256_add_epi32(qq, _mm256_madd_epi16(a, a));
                xx = _mm256_add_epi32(xx, _mm256_madd_epi16(b, b));
            }
        }
    }
    int64_t sd = hsum_i(d), se = hsum_i(e), sq = hsum_i(qq), sx = hsum_i(xx);
    for (; i < len; i++) {
        int32_t a = q[i], b = x[i], t = a - b;
        sd += a * b;
        se += t * t;
        sq += a * a;
        sx += b * b;
    }
    s[0] += sd;
    s[1] += se;
    s[2] += sq;
    s[3] += sx;
}

/* Inner products of q with n rows, four rows per pass over q, 32 bytes a step: maddubs(|x|, sign(q, x)) makes
 * x*q pairs in i16 (|x| <= 128 and |q| <= 127 keep a pair under 32767), a madd with ones widens them to i32.
 * Exact, but sign() cannot negate -128: a query holding -128 returns 0 (not taken) and the caller uses
 * i8_block. Lanes add at most 2048 steps of 65024 for dim <= PV_I8_BLOCK, far from overflow. */
#define PV_I8_DOT_ROWS 1
AI __m256i i8_dot_step(__m256i acc, __m256i qv, const int8_t *x, __m256i ones) {
    const __m256i xv = _mm256_loadu_si256((const __m256i *)x);
    const __m256i pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(xv), _mm256_sign_epi8(qv, xv));
    return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, ones));
}

AI int32_t i8_dot_tail(const int8_t *q, const int8_t *x, int64_t from, int64_t dim) {
    int32_t s = 0;
    for (int64_t i = from; i < dim; i++) s += (int32_t)q[i] * x[i];
    return s;
}

static int i8_dot_rows(const int8_t *q, const int8_t *x, int64_t n, int64_t dim, float *out) {
    if (dim > PV_I8_BLOCK) return 0;
    for (int64_t i = 0; i < dim; i++)
        if (q[i] == -128) return 0;
    const __m256i ones = _mm256_set1_epi16(1);
    const int64_t body = dim - dim % 32;
    int64_t r = 0;
    for (; r + 4 <= n; r += 4) {
        const int8_t *x0 = x + r * dim, *x1 = x0 + dim, *x2 = x1 + dim, *x3 = x2 + dim;
        __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
        for (int64_t i = 0; i < body; i += 32) {
            const __m256i qv = _mm256_loadu_si256((const __m256i *)(q + i));
            a0 = i8_dot_step(a0, qv, x0 + i, ones);
            a1 = i8_dot_step(a1, qv, x1 + i, ones);
            a2 = i8_dot_step(a2, qv, x2 + i, ones);
            a3 = i8_dot_step(a3, qv, x3 + i, ones);
        }
        /* four horizontal sums at once: lane j of the result is row j's sum */
        const __m256i h = _mm256_hadd_epi32(_mm256_hadd_epi32(a0, a1), _mm256_hadd_epi32(a2, a3));
        const __m128i sums = _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
        out[r] = (float)(_mm_extract_epi32(sums, 0) + i8_dot_tail(q, x0, body, dim));
        out[r + 1] = (float)(_mm_extract_epi32(sums, 1) + i8_dot_tail(q, x1, body, dim));
        out[r + 2] = (float)(_mm_extract_epi32(sums, 2) + i8_dot_tail(q, x2, body, dim));
        out[r + 3] = (float)(_mm_extract_epi32(sums, 3) + i8_dot_tail(q, x3, body, dim));
    }
    for (; r < n; r++) {
        const int8_t *xr = x + r * dim;
        __m256i a = _mm256_setzero_si256();
        for (int64_t i = 0; i < body; i += 32) a = i8_dot_step(a, _mm256_loadu_si256((const __m256i *)(q + i)), xr + i, ones);
        out[r] = (float)(hsum_i(a) + i8_dot_tail(q, xr, body, dim));
    }
    return 1;
}

#define PV_LEVEL avx2
#include "kernels_i8_entry.inc"
#undef PV_LEVEL
#undef PV_I8_DOT_ROWS

/* ---- conversions, CRC, streaming sum (shared with the AVX-512 table) ---------------------- */

void f32_to_f16_avx2(const float *src, uint16_t *dst, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(dst + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    for (; i < n; i++) dst[i] = pv_float_to_half(src[i]);
}

void f16_to_f32_avx2(const uint16_t *src, float *dst, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(src + i))));
    for (; i < n; i++) dst[i] = pv_half_to_float(src[i]);
}

/* SSE4.2 crc32 instruction (implied by AVX2). */
uint32_t crc32c_avx2(uint32_t crc, const void *data, int64_t len) {
    const uint8_t *p = (const uint8_t *)data;
    uint64_t c = ~crc;
    for (; len >= 8; len -= 8, p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = _mm_crc32_u64(c, w);
    }
    uint32_t c32 = (uint32_t)c;
    for (; len > 0; len--) c32 = _mm_crc32_u8(c32, *p++);
    return ~c32;
}

double stream_sum_f32_avx2(const float *x, int64_t n) {
    __m256d a0 = _mm256_setzero_pd(), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 v0 = _mm256_loadu_ps(x + i), v1 = _mm256_loadu_ps(x + i + 8);
        a0 = _mm256_add_pd(a0, _mm256_cvtps_pd(_mm256_castps256_ps128(v0)));
        a1 = _mm256_add_pd(a1, _mm256_cvtps_pd(_mm256_extractf128_ps(v0, 1)));
        a2 = _mm256_add_pd(a2, _mm256_cvtps_pd(_mm256_castps256_ps128(v1)));
        a3 = _mm256_add_pd(a3, _mm256_cvtps_pd(_mm256_extractf128_ps(v1, 1)));
    }
    __m256d a = _mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3));
    double lanes[4];
    _mm256_storeu_pd(lanes, a);
    double s = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
    for (; i < n; i++) s += x[i];
    return s;
}

float f32_neg_dot_avx2(const float *q, const float *x, int64_t dim) { return -ip(q, x, dim, 0); }
float f32_l2sq_avx2(const float *q, const float *x, int64_t dim) { return l2(q, x, dim, 0); }
