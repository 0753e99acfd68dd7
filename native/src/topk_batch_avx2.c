/* AVX2+FMA score tile for the blocked multi-query scan: QN queries x RN rows accumulate in QN*RN
 * 8-wide registers, so each 8-float step loads QN + RN vectors for QN*RN FMAs (4x3 for IP: 12
 * accumulators + 3 rows + 1 query = 16 registers; 3x3 for L2, which needs a difference register).
 * Dimension tails use masked loads; remainder queries and rows take smaller shapes of the same body
 * (QN and RN are compile-time constants after inlining). */
#include <immintrin.h>

#include "kernels.h"

#define AI static inline __attribute__((always_inline))

static const int32_t MASK_SRC[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

AI __m256i tail_mask(int64_t r) { return _mm256_loadu_si256((const __m256i *)(MASK_SRC + 8 - r)); }

AI float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

AI void block(int l2, int QN, int RN, const float *q, const float *x, int64_t dim, float *out, int64_t ldo) {
    __m256 acc[4][3];
    for (int a = 0; a < QN; a++)
        for (int b = 0; b < RN; b++) acc[a][b] = _mm256_setzero_ps();
    int64_t d = 0;
    for (; d + 8 <= dim; d += 8) {
        __m256 xv[3];
        for (int b = 0; b < RN; b++) xv[b] = _mm256_loadu_ps(x + b * dim + d);
        for (int a = 0; a < QN; a++) {
            __m256 qv = _mm256_loadu_ps(q + a * dim + d);
            for (int b = 0; b < RN; b++) {
                if (l2) {
                    __m256 diff = _mm256_sub_ps(qv, xv[b]);
                    acc[a][b] = _mm256_fmadd_ps(diff, diff, acc[a][b]);
                } else {
                    acc[a][b] = _mm256_fmadd_ps(qv, xv[b], acc[a][b]);
                }
            }
        }
    }
    if (d < dim) {
        const __m256i m = tail_mask(dim - d);
        __m256 xv[3];
        for (int b = 0; b < RN; b++) xv[b] = _mm256_maskload_ps(x + b * dim + d, m);
        for (int a = 0; a < QN; a++) {
            __m256 qv = _mm256_maskload_ps(q + a * dim + d, m);
            for (int b = 0; b < RN; b++) {
                if (l2) {
                    __m256 diff = _mm256_sub_ps(qv, xv[b]);
                    acc[a][b] = _mm256_fmadd_ps(diff, diff, acc[a][b]);
                } else {
                    acc[a][b] = _mm256_fmadd_ps(qv, xv[b], acc[a][b]);
                }
            }
        }
    }
    for (int a = 0; a < QN; a++)
        for (int b = 0; b < RN; b++) out[a * ldo + b] = hsum(acc[a][b]);
}

/* All rows for QN queries: RN = 3 while three rows remain, then the leftover one or two. */
AI void rows_for(int l2, int QN, const float *q, const float *x, int64_t nr, int64_t dim, float *out, int64_t ldo) {
    int64_t j = 0;
    for (; j + 3 <= nr; j += 3) block(l2, QN, 3, q, x + j * dim, dim, out + j, ldo);
    if (nr - j == 2) block(l2, QN, 2, q, x + j * dim, dim, out + j, ldo);
    else if (nr - j == 1) block(l2, QN, 1, q, x + j * dim, dim, out + j, ldo);
}

static void tile_ip(const float *q, int64_t nq, const float *x, int64_t nr, int64_t dim, float *out, int64_t ldo) {
    int64_t i = 0;
    for (; i + 4 <= nq; i += 4) rows_for(0, 4, q + i * dim, x, nr, dim, out + i * ldo, ldo);
    for (; i < nq; i++) rows_for(0, 1, q + i * dim, x, nr, dim, out + i * ldo, ldo);
}

static void tile_l2(const float *q, int64_t nq, const float *x, int64_t nr, int64_t dim, float *out, int64_t ldo) {
    int64_t i = 0;
    for (; i + 3 <= nq; i += 3) rows_for(1, 3, q + i * dim, x, nr, dim, out + i * ldo, ldo);
    for (; i < nq; i++) rows_for(1, 1, q + i * dim, x, nr, dim, out + i * ldo, ldo);
}

void f32_score_tile_avx2(int32_t metric, const float *q, int64_t nq, const float *x, int64_t nr, int64_t dim,
                        float *out, int64_t ldo) {
    if (metric == PV_METRIC_L2) tile_l2(q, nq, x, nr, dim, out, ldo);
    else tile_ip(q, nq, x, nr, dim, out, ldo);
}
