/* Blocked multi-query top-k: a tile of rows is packed once into panels (PV_PANEL rows, dimension-major,
 * src/kernels.h) and scored against every query of the call (in blocks of Q_TILE queries) while it sits in
 * L2, so a 1,000-query batch reads each row from memory once instead of 1,000 times and the work becomes
 * compute-bound: the ISA kernel f32_score_panels (topk_batch_*.c) is a GEMM-shaped register block over the
 * panels. f16 rows are widened while packing, once per tile. Scores then go through the same bounded heap as
 * the one-query scan (topk_heap.h), behind a threshold test that rejects most scores without touching it.
 * L2 is scored as GEMM-based scans do, from the dot: |q - x|^2 = |q|^2 + |x|^2 - 2 q.x costs one FMA per
 * element where the difference costs a subtract and an FMA. That form cancels badly for near neighbours, so
 * here it is a filter only: a row is dropped when even the lower bound of its distance (the expansion minus a
 * proven bound on its rounding error) is worse than the heap's root; every other row is scored exactly, by
 * the one-row L2 kernel, before the heap sees it (merge_l2). */
#include <float.h>
#include <stdlib.h>
#include <xmmintrin.h>

#include "kernels.h"
#include "topk_heap.h"

#define ROW_TILE_MAX 128         /* rows per tile (a multiple of PV_PANEL) ... */
#define TILE_BYTES (192 * 1024) /* ... or fewer, so a packed tile stays within L2 beside the queries */
#define Q_TILE 48                /* queries per score block: a multiple of the AVX2 and AVX-512 blocks (6, 12) */

static float dot_self(const pv_kernel_table *t, const float *v, int64_t dim) { return t->f32_score(PV_METRIC_IP, v, v, dim); }

/* Rows per tile for this dimension: at most ROW_TILE_MAX, at least one panel. */
static int64_t tile_rows(int64_t dim) {
    int64_t r = TILE_BYTES / ((int64_t)sizeof(float) * dim);
    r -= r % PV_PANEL;
    return r < PV_PANEL ? PV_PANEL : r > ROW_TILE_MAX ? ROW_TILE_MAX : r;
}

/* A full panel of f32 rows, four dimensions of four rows at a time through SSE 4x4 transposes (the baseline
 * ISA): the scalar scatter of one element per store costs a few percent of a 1,000-query call. */
static void pack_full_panel_f32(const float *x, int64_t dim, float *panel) {
    int64_t d = 0;
    for (; d + 4 <= dim; d += 4)
        for (int64_t g = 0; g < PV_PANEL; g += 4) {
            __m128 r0 = _mm_loadu_ps(x + (g + 0) * dim + d), r1 = _mm_loadu_ps(x + (g + 1) * dim + d);
            __m128 r2 = _mm_loadu_ps(x + (g + 2) * dim + d), r3 = _mm_loadu_ps(x + (g + 3) * dim + d);
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            _mm_storeu_ps(panel + (d + 0) * PV_PANEL + g, r0);
            _mm_storeu_ps(panel + (d + 1) * PV_PANEL + g, r1);
            _mm_storeu_ps(panel + (d + 2) * PV_PANEL + g, r2);
            _mm_storeu_ps(panel + (d + 3) * PV_PANEL + g, r3);
        }
    for (; d < dim; d++)
        for (int64_t j = 0; j < PV_PANEL; j++) panel[d * PV_PANEL + j] = x[j * dim + d];
}

void pv_pack_panels(const pv_kernel_table *t, int32_t elem, const void *x, int64_t nr, int64_t dim, float *widen,
                    float *panels) {
    for (int64_t j0 = 0; j0 < nr; j0 += PV_PANEL) {
        const int64_t w = nr - j0 < PV_PANEL ? nr - j0 : PV_PANEL;
        float *panel = panels + j0 * dim;
        if (elem == PV_ELEM_F32 && w == PV_PANEL) {
            pack_full_panel_f32((const float *)x + j0 * dim, dim, panel);
            continue;
        }
        for (int64_t j = 0; j < PV_PANEL; j++) {
            const float *row;
            if (j >= w) {
                for (int64_t d = 0; d < dim; d++) panel[d * PV_PANEL + j] = 0.0f;
                continue;
            }
            if (elem == PV_ELEM_F16) {
                t->f16_to_f32((const uint16_t *)x + (j0 + j) * dim, widen, dim);
                row = widen;
            } else {
                row = (const float *)x + (j0 + j) * dim;
            }
            for (int64_t d = 0; d < dim; d++) panel[d * PV_PANEL + j] = row[d];
        }
    }
}

/* Merges nr scores of one query into its heap (no allow-set, raw scores): most fail the root's score. */
static int64_t merge_plain(int higher, int64_t k, float *hs, int64_t *hr, int64_t size, const float *s, int64_t nr,
                           int64_t first_row) {
    int64_t j = 0;
    while (j < nr && size < k) {
        size = pv_heap_push(higher, k, hs, hr, size, s[j], first_row + j);
        j++;
    }
    for (; j < nr; j++) {
        /* four at a time (SSE, the baseline) while all four are strictly worse than the root: most are */
        if ((j & 3) == 0 && j + 4 <= nr) {
            const __m128 v4 = _mm_loadu_ps(s + j), w4 = _mm_set1_ps(hs[0]);
            if (_mm_movemask_ps(higher ? _mm_cmpnlt_ps(v4, w4) : _mm_cmpngt_ps(v4, w4)) == 0) {
                j += 3;
                continue;
            }
        }
        const float v = s[j], worst = hs[0];
        if (higher ? v < worst : v > worst) continue; /* strictly worse; NaN and ties go to the heap's own test */
        size = pv_heap_push(higher, k, hs, hr, size, v, first_row + j);
    }
    return size;
}

/* The relative error bound of the L2 filter: the float dot of dim terms is off by at most
 * gamma_dim * sum |q_d x_d| <= gamma_dim (|q|^2 + |x|^2) / 2 (gamma_n = n u / (1 - n u), u = 2^-24, any
 * summation order), the float |x|^2 and |q|^2 (f32_score) by gamma_dim times themselves, and the few float operations of the test
 * by a small multiple of u (|q|^2 + |x|^2). B = (dim + 32) 2^-22 is twice the sum of those. */
static double l2_filter_bound(int64_t dim) { return (double)(dim + 32) * 0x1p-22; }

/* Merges nr dot scores s of one query into its L2 heap. lower_x[j] = (1 - B)|x_j|^2 and lower_q = (1 - B)|q|^2
 * (minus an underflow allowance; NaN when not finite, which disables the filter) bound the distance from
 * below by lower_x[j] + lower_q - 2 s[j]: a row whose bound is strictly worse than the root cannot enter, any
 * other row is scored exactly from its stored row (the heap's own test then decides, NaN and ties included). */
static int64_t merge_l2(const pv_kernel_table *t, int32_t elem, const float *q, const void *rows, int64_t dim,
                        const uint64_t *allow, int64_t k, float *hs, int64_t *hr, int64_t size, const float *s,
                        const float *lower_x, float lower_q, int64_t nr, int64_t first_row) {
    const __m128 lq = _mm_set1_ps(lower_q), two = _mm_set1_ps(2.0f);
    for (int64_t j = 0; j < nr; j++) {
        if (size == k) {
            /* four at a time while all four bounds are strictly worse than the root: most are */
            if ((j & 3) == 0 && j + 4 <= nr) {
                const __m128 b4 = _mm_add_ps(_mm_sub_ps(_mm_loadu_ps(lower_x + j), _mm_mul_ps(two, _mm_loadu_ps(s + j))), lq);
                if (_mm_movemask_ps(_mm_cmpgt_ps(b4, _mm_set1_ps(hs[0]))) == 0xf) {
                    j += 3;
                    continue;
                }
            }
            if ((lower_x[j] - 2.0f * s[j]) + lower_q > hs[0]) continue; /* NaN: not dropped */
        }
        const int64_t row = first_row + j;
        if (allow != NULL && !((allow[row >> 6] >> (row & 63)) & 1u)) continue;
        const float exact = elem == PV_ELEM_F16 ? t->f16_score(PV_METRIC_L2, q, (const uint16_t *)rows + j * dim, dim)
                                                : t->f32_score(PV_METRIC_L2, q, (const float *)rows + j * dim, dim);
        size = pv_heap_push(0, k, hs, hr, size, exact, row);
    }
    return size;
}

/* (1 - B) v less an allowance for the underflow of dim products (absolute, at most FLT_MIN each), as a float;
 * NaN when that is not a finite float, so every test against it fails and the rows are scored exactly. */
static float l2_lower(double v, double one_minus_b, int64_t dim) {
    const double b = v * one_minus_b - (double)dim * FLT_MIN;
    return b <= FLT_MAX && b >= -FLT_MAX ? (float)b : __builtin_nanf("");
}

int32_t pv_topk_batch(int32_t metric, int32_t elem, const float *queries, int64_t nq, const void *x, int64_t n,
                      int64_t dim, int64_t base_row, const uint64_t *allow, int64_t k, float *heap_scores,
                      int64_t *heap_rows, int64_t *heap_sizes) {
    if (metric != PV_METRIC_IP && metric != PV_METRIC_L2 && metric != PV_METRIC_COSINE) return PV_EINVAL;
    if (elem != PV_ELEM_F32 && elem != PV_ELEM_F16) return PV_EINVAL;
    if (nq < 0 || n < 0 || dim <= 0 || k <= 0 || base_row < 0) return PV_EINVAL;
    if (nq == 0 || n == 0) return PV_OK;
    for (int64_t i = 0; i < nq; i++)
        if (heap_sizes[i] < 0 || heap_sizes[i] > k) return PV_EINVAL;
    const pv_kernel_table *t = pv_active_kernels();
    const int higher = metric != PV_METRIC_L2;
    const int32_t raw = PV_METRIC_IP; /* cosine: over the norms; L2: from the dot (merge_l2) */
    const int64_t rows_per_tile = tile_rows(dim);
    const size_t elem_bytes = elem == PV_ELEM_F16 ? sizeof(uint16_t) : sizeof(float);
    float *panels = malloc(sizeof(float) * (size_t)rows_per_tile * (size_t)dim);
    float *widen = elem == PV_ELEM_F16 ? malloc(sizeof(float) * (size_t)dim) : NULL;
    float *qnorm = metric == PV_METRIC_COSINE ? malloc(sizeof(float) * (size_t)nq) : NULL;
    float *scores = malloc(sizeof(float) * Q_TILE * (size_t)rows_per_tile);
    float *xnorm = metric == PV_METRIC_COSINE ? malloc(sizeof(float) * (size_t)rows_per_tile) : NULL;
    float *lower_x = metric == PV_METRIC_L2 ? malloc(sizeof(float) * (size_t)rows_per_tile) : NULL;
    float *lower_q = metric == PV_METRIC_L2 ? malloc(sizeof(float) * (size_t)nq) : NULL;
    const double one_minus_b = 1.0 - l2_filter_bound(dim);
    int32_t status = PV_OK;
    if (panels == NULL || scores == NULL || (elem == PV_ELEM_F16 && widen == NULL) ||
        (metric == PV_METRIC_COSINE && (qnorm == NULL || xnorm == NULL)) ||
        (metric == PV_METRIC_L2 && (lower_q == NULL || lower_x == NULL))) {
        status = PV_ENOMEM;
        goto done;
    }
    if (metric == PV_METRIC_COSINE)
        for (int64_t i = 0; i < nq; i++) qnorm[i] = dot_self(t, queries + i * dim, dim);
    if (metric == PV_METRIC_L2) /* B >= 1/2 (dimensions in the millions): no filter, every row exact */
        for (int64_t i = 0; i < nq; i++)
            lower_q[i] = one_minus_b > 0.5 ? l2_lower(dot_self(t, queries + i * dim, dim), one_minus_b, dim) : __builtin_nanf("");
    for (int64_t r0 = 0; r0 < n; r0 += rows_per_tile) {
        const int64_t nr = n - r0 < rows_per_tile ? n - r0 : rows_per_tile;
        const char *tile = (const char *)x + (size_t)r0 * (size_t)dim * elem_bytes;
        pv_pack_panels(t, elem, tile, nr, dim, widen, panels);
        if (metric == PV_METRIC_L2) /* (1 - B)|x_j|^2, from the rows as f32 (contiguous, SIMD) */
            for (int64_t j = 0; j < nr; j++) {
                const float *row = (const float *)tile + j * dim;
                if (elem == PV_ELEM_F16) {
                    t->f16_to_f32((const uint16_t *)tile + j * dim, widen, dim);
                    row = widen;
                }
                lower_x[j] = one_minus_b > 0.5 ? l2_lower(dot_self(t, row, dim), one_minus_b, dim) : __builtin_nanf("");
            }
        if (metric == PV_METRIC_COSINE) /* from the packed f32 values, as the scores are */
            for (int64_t j = 0; j < nr; j++) {
                double s = 0;
                const float *panel = panels + (j - j % PV_PANEL) * dim;
                for (int64_t d = 0; d < dim; d++) {
                    const float v = panel[d * PV_PANEL + j % PV_PANEL];
                    s += (double)v * v;
                }
                xnorm[j] = (float)s;
            }
        for (int64_t q0 = 0; q0 < nq; q0 += Q_TILE) {
            const int64_t mq = nq - q0 < Q_TILE ? nq - q0 : Q_TILE;
            t->f32_score_panels(raw, queries + q0 * dim, mq, panels, nr, dim, scores, rows_per_tile);
            for (int64_t i = 0; i < mq; i++) {
                const int64_t qi = q0 + i;
                float *hs = heap_scores + qi * k;
                int64_t *hr = heap_rows + qi * k;
                const float *s = scores + i * rows_per_tile;
                const int64_t first = base_row + r0;
                if (metric == PV_METRIC_L2) {
                    heap_sizes[qi] = merge_l2(t, elem, queries + qi * dim, tile, dim, allow, k, hs, hr, heap_sizes[qi], s,
                                              lower_x, lower_q[qi], nr, first);
                    continue;
                }
                if (allow == NULL && metric != PV_METRIC_COSINE) {
                    heap_sizes[qi] = merge_plain(higher, k, hs, hr, heap_sizes[qi], s, nr, first);
                    continue;
                }
                int64_t size = heap_sizes[qi];
                for (int64_t j = 0; j < nr; j++) {
                    const int64_t row = first + j;
                    if (allow != NULL && !((allow[row >> 6] >> (row & 63)) & 1u)) continue;
                    float v = metric == PV_METRIC_COSINE ? pv_cosine_from(s[j], qnorm[qi], xnorm[j]) : s[j];
                    size = pv_heap_push(higher, k, hs, hr, size, v, row);
                }
                heap_sizes[qi] = size;
            }
        }
    }
done:
    free(panels);
    free(widen);
    free(qnorm);
    free(scores);
    free(xnorm);
    free(lower_x);
    free(lower_q);
    return status;
}
