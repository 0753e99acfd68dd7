/* AVX-512 kernels on codes: 16 codes widened per step (vpmovzxbd), 1-bit codes as lane masks. */
#include <immintrin.h>

#include "quant_kernels.h"

static inline __m512 u8x16(__m128i v) { return _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(v)); }

float quant_dot_u8_avx512(const float *q, const uint8_t *c, int64_t pd) {
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
    for (int64_t i = 0; i < pd; i += 32) {
        a0 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), u8x16(_mm_loadu_si128((const __m128i *)(c + i))), a0);
        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(q + i + 16), u8x16(_mm_loadu_si128((const __m128i *)(c + i + 16))), a1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
}

float quant_dot_u4_avx512(const float *q, const uint8_t *c, int64_t pd) {
    const __m128i m4 = _mm_set1_epi8(15);
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
    for (int64_t t = 0; t < pd; t += 32, c += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)c);
        a0 = _mm512_fmadd_ps(_mm512_loadu_ps(q + t), u8x16(_mm_and_si128(v, m4)), a0);
        a1 = _mm512_fmadd_ps(_mm512_loadu_ps(q + t + 16), u8x16(_mm_and_si128(_mm_srli_epi16(v, 4), m4)), a1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
}

float quant_dot_u1_avx512(const float *q, const uint8_t *c, int64_t pd) {
    __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
    for (int64_t t = 0; t < pd; t += 32, c += 4) {
        uint32_t w = (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
        a0 = _mm512_mask_add_ps(a0, (__mmask16)(w & 0xffffu), a0, _mm512_loadu_ps(q + t));
        a1 = _mm512_mask_add_ps(a1, (__mmask16)(w >> 16), a1, _mm512_loadu_ps(q + t + 16));
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(a0, a1));
}

/* The AVX2 kernel: a 512-bit version would need two nibble widenings per step for the same byte multiplies. */
int32_t quant_i8_dot_u4_avx512(const int8_t *q, const uint8_t *c, int64_t pd) { return quant_i8_dot_u4_avx2(q, c, pd); }

PV_QUANT_GRAPH_FNS(avx512)
