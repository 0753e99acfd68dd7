/* AVX2 + FMA kernels on codes: codes are widened to int32 lanes and converted to float in
 * registers (never to a float row in memory), then fused-multiply-added with the query. */
#include <immintrin.h>

#include "quant_kernels.h"

static inline float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

static inline __m256 u8x8(__m128i v) { return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(v)); }

float quant_dot_u8_avx2(const float *q, const uint8_t *c, int64_t pd) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (int64_t i = 0; i < pd; i += 32) {
        __m128i lo = _mm_loadu_si128((const __m128i *)(c + i));
        __m128i hi = _mm_loadu_si128((const __m128i *)(c + i + 16));
        a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i), u8x8(lo), a0);
        a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 8), u8x8(_mm_srli_si128(lo, 8)), a1);
        a2 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 16), u8x8(hi), a2);
        a3 = _mm256_fmadd_ps(_mm256_loadu_ps(q + i + 24), u8x8(_mm_srli_si128(hi, 8)), a3);
    }
    return hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
}

float quant_dot_u4_avx2(const float *q, const uint8_t *c, int64_t pd) {
    const __m128i m4 = _mm_set1_epi8(15);
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    for (int64_t t = 0; t < pd; t += 32, c += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)c);
        __m128i lo = _mm_and_si128(v, m4), hi = _mm_and_si128(_mm_srli_epi16(v, 4), m4);
        a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q + t), u8x8(lo), a0);
        a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q + t + 8), u8x8(_mm_srli_si128(lo, 8)), a1);
        a2 = _mm256_fmadd_ps(_mm256_loadu_ps(q + t + 16), u8x8(hi), a2);
        a3 = _mm256_fmadd_ps(_mm256_loadu_ps(q + t + 24), u8x8(_mm_srli_si128(hi, 8)), a3);
    }
    return hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
}

/* Eight bits of w as an all-ones/all-zero lane mask. */
static inline __m256 bits8(uint32_t w) {
    const __m256i sel = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    __m256i b = _mm256_and_si256(_mm256_set1_epi32((int)w), sel);
    return _mm256_castsi256_ps(_mm256_cmpeq_epi32(b, sel));
}

float quant_dot_u1_avx2(const float *q, const uint8_t *c, int64_t pd) {
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
    for (int64_t t = 0; t < pd; t += 32, c += 4) {
        uint32_t w = (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
        a0 = _mm256_add_ps(a0, _mm256_and_ps(bits8(w), _mm256_loadu_ps(q + t)));
        a1 = _mm256_add_ps(a1, _mm256_and_ps(bits8(w >> 8), _mm256_loadu_ps(q + t + 8)));
        a0 = _mm256_add_ps(a0, _mm256_and_ps(bits8(w >> 16), _mm256_loadu_ps(q + t + 16)));
        a1 = _mm256_add_ps(a1, _mm256_and_ps(bits8(w >> 24), _mm256_loadu_ps(q + t + 24)));
    }
    return hsum256(_mm256_add_ps(a0, a1));
}

/* 32 codes of one 16-byte block (low nibbles: dims 0-15, high: 16-31) as 32 bytes in dimension order. */
static inline __m256i u4x32(__m128i v) {
    const __m128i m4 = _mm_set1_epi8(15);
    return _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(v, 4), m4), _mm_and_si128(v, m4));
}

/* pmaddubsw: unsigned codes (<= 15) times signed query bytes, pairs summed in int16 (|pair| <= 3810, no
 * saturation), then pmaddwd by 1 into int32 lanes. */
int32_t quant_i8_dot_u4_avx2(const int8_t *q, const uint8_t *c, int64_t pd) {
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i a0 = _mm256_setzero_si256(), a1 = _mm256_setzero_si256();
    int64_t t = 0;
    for (; t + 64 <= pd; t += 64, c += 32) {
        __m256i p0 = _mm256_maddubs_epi16(u4x32(_mm_loadu_si128((const __m128i *)c)), _mm256_loadu_si256((const __m256i *)(q + t)));
        __m256i p1 = _mm256_maddubs_epi16(u4x32(_mm_loadu_si128((const __m128i *)(c + 16))), _mm256_loadu_si256((const __m256i *)(q + t + 32)));
        a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(p0, ones));
        a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(p1, ones));
    }
    if (t < pd) {
        __m256i p0 = _mm256_maddubs_epi16(u4x32(_mm_loadu_si128((const __m128i *)c)), _mm256_loadu_si256((const __m256i *)(q + t)));
        a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(p0, ones));
    }
    __m256i a = _mm256_add_epi32(a0, a1);
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    return _mm_cvtsi128_si32(s);
}

PV_QUANT_GRAPH_FNS(avx2)
