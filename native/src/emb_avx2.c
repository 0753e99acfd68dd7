/* AVX2 + FMA + F16C embedding gather kernels (panavec.def, group embedding): rows decoded 8 floats at a time
 * in registers (f16 widened with vcvtph2ps, 8-bit codes zero-extended, 4-bit codes split into nibbles) and
 * written or added straight into the caller's buffer; the loops are the scalar level's (emb_loops.inc). */
#include <immintrin.h>
#include <string.h>

#include "kernels.h"
#include "panavec_embedding.h"

#define PV_LEVEL avx2
#define AI static inline __attribute__((always_inline))

AI __m256 codes8_at(const uint8_t *c) {
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)c)));
}

/* dst = decode(row) (add = 0) or dst += decode(row) (add = 1). */
AI void row_op(int32_t encoding, int64_t dim, const float *mean, const uint8_t *row, float *dst, int add) {
    const int64_t d8 = dim & ~INT64_C(7);
    int64_t i = 0;
    switch (encoding) {
    case PV_EMB_F32: {
        const float *x = (const float *)row;
        for (; i < d8; i += 8) {
            __m256 v = _mm256_loadu_ps(x + i);
            if (add) v = _mm256_add_ps(v, _mm256_loadu_ps(dst + i));
            _mm256_storeu_ps(dst + i, v);
        }
        for (; i < dim; i++) dst[i] = (add ? dst[i] : 0.0f) + x[i];
        break;
    }
    case PV_EMB_F16: {
        const uint16_t *x = (const uint16_t *)row;
        for (; i < d8; i += 8) {
            __m256 v = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i)));
            if (add) v = _mm256_add_ps(v, _mm256_loadu_ps(dst + i));
            _mm256_storeu_ps(dst + i, v);
        }
        for (; i < dim; i++) dst[i] = (add ? dst[i] : 0.0f) + pv_half_to_float(x[i]);
        break;
    }
    case PV_EMB_CODES8:
    case PV_EMB_CODES4: {
        float a, b;
        memcpy(&a, row, 4);
        memcpy(&b, row + 4, 4);
        const uint8_t *codes = row + 16;
        const __m256 va = _mm256_set1_ps(a), vb = _mm256_set1_ps(b);
        if (encoding == PV_EMB_CODES8) {
            for (; i < d8; i += 8) {
                __m256 v = _mm256_fmadd_ps(vb, codes8_at(codes + i), va);
                if (mean) v = _mm256_add_ps(_mm256_loadu_ps(mean + i), v);
                if (add) v = _mm256_add_ps(v, _mm256_loadu_ps(dst + i));
                _mm256_storeu_ps(dst + i, v);
            }
            for (; i < dim; i++) {
                const float x = (mean ? mean[i] : 0.0f) + (a + b * (float)codes[i]);
                dst[i] = (add ? dst[i] : 0.0f) + x;
            }
        } else {
            const __m128i low = _mm_set1_epi8(0x0F);
            const int64_t d32 = dim & ~INT64_C(31);
            for (; i < d32; i += 32) {
                const __m128i packed = _mm_loadu_si128((const __m128i *)(codes + i / 2));
                const __m128i lo = _mm_and_si128(packed, low), hi = _mm_and_si128(_mm_srli_epi16(packed, 4), low);
                const __m128i parts[4] = {lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8)};
                for (int p = 0; p < 4; p++) {
                    const __m256 c = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(parts[p]));
                    __m256 v = _mm256_fmadd_ps(vb, c, va);
                    if (mean) v = _mm256_add_ps(_mm256_loadu_ps(mean + i + 8 * p), v);
                    if (add) v = _mm256_add_ps(v, _mm256_loadu_ps(dst + i + 8 * p));
                    _mm256_storeu_ps(dst + i + 8 * p, v);
                }
            }
            for (; i < dim; i++) {
                const int64_t t = i & ~INT64_C(31), j = i & 31;
                const uint8_t byte = codes[t / 2 + (j & 15)];
                const float x = (mean ? mean[i] : 0.0f) + (a + b * (float)(j < 16 ? byte & 15 : byte >> 4));
                dst[i] = (add ? dst[i] : 0.0f) + x;
            }
        }
        break;
    }
    default: break;
    }
}

AI void dec_row(int32_t encoding, int64_t dim, const float *mean, const uint8_t *row, float *dst) {
    row_op(encoding, dim, mean, row, dst, 0);
}

AI void acc_row(int32_t encoding, int64_t dim, const float *mean, const uint8_t *row, float *dst) {
    row_op(encoding, dim, mean, row, dst, 1);
}

AI void max_into(float *dst, const float *x, int64_t dim) {
    int64_t i = 0;
    for (; i + 8 <= dim; i += 8) _mm256_storeu_ps(dst + i, _mm256_max_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(dst + i)));
    for (; i < dim; i++) dst[i] = x[i] > dst[i] ? x[i] : dst[i];
}

AI void scale_by(float *dst, float s, int64_t dim) {
    const __m256 vs = _mm256_set1_ps(s);
    int64_t i = 0;
    for (; i + 8 <= dim; i += 8) _mm256_storeu_ps(dst + i, _mm256_mul_ps(_mm256_loadu_ps(dst + i), vs));
    for (; i < dim; i++) dst[i] *= s;
}

#include "emb_loops.inc"
