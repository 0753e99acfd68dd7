/* AVX-512 score tile for the blocked multi-query scan, over rows packed in panels of PV_PANEL = 16 rows
 * stored dimension-major (panel[d * 16 + j] = row j's element d; see topk_batch.c): one zmm holds a panel's
 * 16 values of dimension d. The register block is 12 queries x 2 panels: per dimension two loads and one
 * broadcast per query feed 24 FMAs into 24 accumulators (+ 2 rows + 1 query = 27 of 32 registers), no
 * horizontal sum. A last odd panel runs the same body on one panel; remainder queries take smaller QN.
 * Dimensions are blocked (panels_for) so the queries' slice stays in L1 at any dimension.
 * Inner product only (pv_topk_batch and LeanVec's encoder score IP; pv_topk_batch derives L2 from it):
 * the L2 form is the AVX2 one. On a CPU that splits 512-bit FMAs in two (Zen 4) this is no slower than
 * the AVX2 tile per FMA issued, and on full-width ones (Zen 5, Intel) it does twice the work per FMA. */
#include <immintrin.h>

#include "kernels.h"

#define AI static inline __attribute__((always_inline))

/* Named accumulators, not an array: GCC otherwise mirrors an array of vectors to the stack every step. */
#define ACC_DECL(a)                                                                                                  \
    __m512 c##a##0 = _mm512_setzero_ps(), c##a##1 = _mm512_setzero_ps();                                             \
    if (QN > a && acc) {                                                                                             \
        c##a##0 = load_panel(out + a * ldo, w0);                                                                     \
        if (NP == 2) c##a##1 = load_panel(out + a * ldo + PV_PANEL, w1);                                             \
    }
#define ACC_STEP(a)                                                                                                  \
    if (QN > a) {                                                                                                    \
        const __m512 qv = _mm512_set1_ps(q[a * dim + d]);                                                            \
        c##a##0 = _mm512_fmadd_ps(qv, x0, c##a##0);                                                                  \
        if (NP == 2) c##a##1 = _mm512_fmadd_ps(qv, x1, c##a##1);                                                     \
    }
#define ACC_STORE(a)                                                                                                 \
    if (QN > a) {                                                                                                    \
        store_panel(out + a * ldo, c##a##0, w0);                                                                     \
        if (NP == 2) store_panel(out + a * ldo + PV_PANEL, c##a##1, w1);                                             \
    }

/* The partial scores store_panel left (the first w; the rest zero). */
AI __m512 load_panel(const float *out, int64_t w) {
    return w == PV_PANEL ? _mm512_loadu_ps(out) : _mm512_maskz_loadu_ps((__mmask16)((1u << w) - 1), out);
}

/* One panel's 16 scores of a query, or the first w of them (a last, partial panel's padding rows are not the caller's). */
AI void store_panel(float *out, __m512 v, int64_t w) {
    if (w == PV_PANEL) _mm512_storeu_ps(out, v);
    else _mm512_mask_storeu_ps(out, (__mmask16)((1u << w) - 1), v);
}

/* QN queries against NP (1 or 2) panels p0, p1 holding w0, w1 real rows, over dimensions [d0, d1): acc adds
 * to the partial scores in out (dimensions before d0), else starts from zero. */
AI void panel_block(int QN, int NP, const float *q, int64_t dim, int64_t d0, int64_t d1, int acc, const float *p0,
                    const float *p1, int64_t w0, int64_t w1, float *out, int64_t ldo) {
    ACC_DECL(0);
    ACC_DECL(1);
    ACC_DECL(2);
    ACC_DECL(3);
    ACC_DECL(4);
    ACC_DECL(5);
    ACC_DECL(6);
    ACC_DECL(7);
    ACC_DECL(8);
    ACC_DECL(9);
    ACC_DECL(10);
    ACC_DECL(11);
    for (int64_t d = d0; d < d1; d++) {
        const __m512 x0 = _mm512_loadu_ps(p0 + d * PV_PANEL);
        const __m512 x1 = NP == 2 ? _mm512_loadu_ps(p1 + d * PV_PANEL) : x0;
        ACC_STEP(0)
        ACC_STEP(1)
        ACC_STEP(2)
        ACC_STEP(3)
        ACC_STEP(4)
        ACC_STEP(5)
        ACC_STEP(6)
        ACC_STEP(7)
        ACC_STEP(8)
        ACC_STEP(9)
        ACC_STEP(10)
        ACC_STEP(11)
    }
    ACC_STORE(0)
    ACC_STORE(1)
    ACC_STORE(2)
    ACC_STORE(3)
    ACC_STORE(4)
    ACC_STORE(5)
    ACC_STORE(6)
    ACC_STORE(7)
    ACC_STORE(8)
    ACC_STORE(9)
    ACC_STORE(10)
    ACC_STORE(11)
}

/* QN queries against every panel, two at a time, in blocks of dimensions (the k-blocking of GEMM): the QN
 * queries' slice (at most 12 x DIM_BLOCK floats, 24 KB: half a 48 KB L1, three quarters of a 32 KB one) stays
 * in L1 while the panels' slices of the same dimensions stream from L2, at any dimension. Up to 512
 * dimensions there is one block: on a 48 KB L1, 384 in two blocks measured slightly slower and 784 in four
 * no different, so the bound is for the larger dimensions and smaller L1s. */
#define DIM_BLOCK 512
AI void panels_for(int QN, const float *q, int64_t dim, const float *panels, int64_t nr, float *out, int64_t ldo) {
    const int64_t blocks = (dim + DIM_BLOCK - 1) / DIM_BLOCK, len = (dim + blocks - 1) / blocks; /* even blocks */
    for (int64_t d0 = 0; d0 < dim; d0 += len) {
        const int64_t d1 = d0 + len < dim ? d0 + len : dim;
        const int acc = d0 > 0;
        int64_t j = 0;
        for (; j + PV_PANEL < nr; j += 2 * PV_PANEL) {
            const int64_t w1 = nr - j - PV_PANEL < PV_PANEL ? nr - j - PV_PANEL : PV_PANEL;
            panel_block(QN, 2, q, dim, d0, d1, acc, panels + j * dim, panels + (j + PV_PANEL) * dim, PV_PANEL, w1, out + j, ldo);
        }
        if (j < nr) panel_block(QN, 1, q, dim, d0, d1, acc, panels + j * dim, NULL, nr - j, 0, out + j, ldo);
    }
}

#define REMAINDER(n)                                                                                                 \
    case n: panels_for(n, q + i * dim, dim, panels, nr, out + i * ldo, ldo); break;

void f32_score_panels_avx512(int32_t metric, const float *q, int64_t nq, const float *panels, int64_t nr, int64_t dim, float *out,
                             int64_t ldo) {
    if (metric == PV_METRIC_L2) {
        f32_score_panels_avx2(metric, q, nq, panels, nr, dim, out, ldo);
        return;
    }
    int64_t i = 0;
    for (; i + 12 <= nq; i += 12) panels_for(12, q + i * dim, dim, panels, nr, out + i * ldo, ldo);
    switch (nq - i) {
        REMAINDER(11)
        REMAINDER(10)
        REMAINDER(9)
        REMAINDER(8)
        REMAINDER(7)
        REMAINDER(6)
        REMAINDER(5)
        REMAINDER(4)
        REMAINDER(3)
        REMAINDER(2)
        REMAINDER(1)
    default: break;
    }
}
