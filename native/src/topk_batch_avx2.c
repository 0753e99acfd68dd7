/* AVX2+FMA score tile for the blocked multi-query scan, over rows packed in panels of PV_PANEL = 16 rows
 * stored dimension-major (panel[d * 16 + j] = row j's element d; see topk_batch.c). The register block is
 * the GEMM micro-kernel shape: per dimension two 8-wide loads cover the panel's 16 rows and one broadcast
 * per query feeds two FMAs, so 6 queries x 16 rows keep 12 accumulators (+ 2 rows + 1 query = 15 of 16
 * registers) and no horizontal sum is ever needed. L2 needs a difference register: 4 queries x 16 rows.
 * Remainder queries take smaller shapes of the same body (QN is a compile-time constant after inlining). */
#include <immintrin.h>

#include "kernels.h"

#define AI static inline __attribute__((always_inline))

/* Named accumulators, not an array: GCC otherwise mirrors an array of vectors to the stack every step. */
#define ACC_DECL(a) __m256 c##a##0 = _mm256_setzero_ps(), c##a##1 = _mm256_setzero_ps()
#define ACC_STEP(a)                                                                                                  \
    if (QN > a) {                                                                                                    \
        const __m256 qv = _mm256_broadcast_ss(q + a * dim + d);                                                      \
        if (l2) {                                                                                                    \
            const __m256 d0 = _mm256_sub_ps(qv, x0), d1 = _mm256_sub_ps(qv, x1);                                     \
            c##a##0 = _mm256_fmadd_ps(d0, d0, c##a##0);                                                              \
            c##a##1 = _mm256_fmadd_ps(d1, d1, c##a##1);                                                              \
        } else {                                                                                                     \
            c##a##0 = _mm256_fmadd_ps(qv, x0, c##a##0);                                                              \
            c##a##1 = _mm256_fmadd_ps(qv, x1, c##a##1);                                                              \
        }                                                                                                            \
    }
#define ACC_STORE(a)                                                                                                 \
    if (QN > a) store_row(out + a * ldo, c##a##0, c##a##1, w);

/* 16 scores of one query, or the first w of them for the last, partial panel (its padding rows are not the caller's). */
AI void store_row(float *out, __m256 lo, __m256 hi, int64_t w) {
    if (w == PV_PANEL) {
        _mm256_storeu_ps(out, lo);
        _mm256_storeu_ps(out + 8, hi);
        return;
    }
    float tmp[PV_PANEL];
    _mm256_storeu_ps(tmp, lo);
    _mm256_storeu_ps(tmp + 8, hi);
    for (int64_t j = 0; j < w; j++) out[j] = tmp[j];
}

AI void panel_block(int l2, int QN, const float *q, int64_t dim, const float *panel, int64_t w, float *out, int64_t ldo) {
    ACC_DECL(0);
    ACC_DECL(1);
    ACC_DECL(2);
    ACC_DECL(3);
    ACC_DECL(4);
    ACC_DECL(5);
    for (int64_t d = 0; d < dim; d++) {
        const __m256 x0 = _mm256_loadu_ps(panel + d * PV_PANEL);
        const __m256 x1 = _mm256_loadu_ps(panel + d * PV_PANEL + 8);
        ACC_STEP(0)
        ACC_STEP(1)
        ACC_STEP(2)
        ACC_STEP(3)
        ACC_STEP(4)
        ACC_STEP(5)
    }
    ACC_STORE(0)
    ACC_STORE(1)
    ACC_STORE(2)
    ACC_STORE(3)
    ACC_STORE(4)
    ACC_STORE(5)
}

/* QN queries against every panel: the queries stay in L1 while the panels stream from L2. */
AI void panels_for(int l2, int QN, const float *q, int64_t dim, const float *panels, int64_t nr, float *out, int64_t ldo) {
    for (int64_t j = 0; j < nr; j += PV_PANEL) {
        const int64_t w = nr - j < PV_PANEL ? nr - j : PV_PANEL;
        panel_block(l2, QN, q, dim, panels + j * dim, w, out + j, ldo);
    }
}

static void tile_ip(const float *q, int64_t nq, const float *panels, int64_t nr, int64_t dim, float *out, int64_t ldo) {
    int64_t i = 0;
    for (; i + 6 <= nq; i += 6) panels_for(0, 6, q + i * dim, dim, panels, nr, out + i * ldo, ldo);
    switch (nq - i) {
    case 5: panels_for(0, 5, q + i * dim, dim, panels, nr, out + i * ldo, ldo); break;
    case 4: panels_for(0, 4, q + i * dim, dim, panels, nr, out + i * ldo, ldo); break;
    case 3: panels_for(0, 3, q + i * dim, dim, panels, nr, out + i * ldo, ldo); break;
    case 2: panels_for(0, 2, q + i * dim, dim, panels, nr, out + i * ldo, ldo); break;
    case 1: panels_for(0, 1, q + i * dim, dim, panels, nr, out + i * ldo, ldo); break;
    default: break;
    }
}

static void tile_l2(const float *q, int64_t nq, const float *panels, int64_t nr, int64_t dim, float *out, int64_t ldo) {
    int64_t i = 0;
    for (; i + 4 <= nq; i += 4) panels_for(1, 4, q + i * dim, dim, panels, nr, out + i * ldo, ldo);
    for (; i < nq; i++) panels_for(1, 1, q + i * dim, dim, panels, nr, out + i * ldo, ldo);
}

void f32_score_panels_avx2(int32_t metric, const float *q, int64_t nq, const float *panels, int64_t nr, int64_t dim,
                         float *out, int64_t ldo) {
    if (metric == PV_METRIC_L2) tile_l2(q, nq, panels, nr, dim, out, ldo);
    else tile_ip(q, nq, panels, nr, dim, out, ldo);
}
