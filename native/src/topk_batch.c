/* Blocked multi-query top-k: a tile of rows is packed once into panels (PV_PANEL rows, dimension-major,
 * src/kernels.h) and scored against every query of the call (in blocks of Q_TILE queries) while it sits in
 * L2, so a 1,000-query batch reads each row from memory once instead of 1,000 times and the work becomes
 * compute-bound: the ISA kernel f32_score_panels (topk_batch_*.c) is a GEMM-shaped register block over the
 * panels. f16 rows are widened while packing, once per tile. Scores then go through the same bounded heap as
 * the one-query scan (topk_heap.h), behind a threshold test that rejects most scores without touching it. */
#include <stdlib.h>
#include <xmmintrin.h>

#include "kernels.h"
#include "topk_heap.h"

#define ROW_TILE_MAX 128         /* rows per tile (a multiple of PV_PANEL) ... */
#define TILE_BYTES (192 * 1024) /* ... or fewer, so a packed tile stays within L2 beside the queries */
#define Q_TILE 48                /* queries per score block: a multiple of the AVX2 kernel's 6 */

static float dot_self(const pv_kernel_table *t, const float *v, int64_t dim) { return t->f32_score(PV_METRIC_IP, v, v, dim); }

/* Rows per tile for this dimension: at most ROW_TILE_MAX, at least one panel. */
static int64_t tile_rows(int64_t dim) {
    int64_t r = TILE_BYTES / ((int64_t)sizeof(float) * dim);
    r -= r % PV_PANEL;
    return r < PV_PANEL ? PV_PANEL : r > ROW_TILE_MAX ? ROW_TILE_MAX : r;
}

void pv_pack_panels(const pv_kernel_table *t, int32_t elem, const void *x, int64_t nr, int64_t dim, float *widen,
                    float *panels) {
    for (int64_t j0 = 0; j0 < nr; j0 += PV_PANEL) {
        const int64_t w = nr - j0 < PV_PANEL ? nr - j0 : PV_PANEL;
        float *panel = panels + j0 * dim;
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
    const int32_t raw = metric == PV_METRIC_COSINE ? PV_METRIC_IP : metric;
    const int64_t rows_per_tile = tile_rows(dim);
    const size_t elem_bytes = elem == PV_ELEM_F16 ? sizeof(uint16_t) : sizeof(float);
    float *panels = malloc(sizeof(float) * (size_t)rows_per_tile * (size_t)dim);
    float *widen = elem == PV_ELEM_F16 ? malloc(sizeof(float) * (size_t)dim) : NULL;
    float *qnorm = metric == PV_METRIC_COSINE ? malloc(sizeof(float) * (size_t)nq) : NULL;
    float *scores = malloc(sizeof(float) * Q_TILE * (size_t)rows_per_tile);
    float *xnorm = metric == PV_METRIC_COSINE ? malloc(sizeof(float) * (size_t)rows_per_tile) : NULL;
    int32_t status = PV_OK;
    if (panels == NULL || scores == NULL || (elem == PV_ELEM_F16 && widen == NULL) ||
        (metric == PV_METRIC_COSINE && (qnorm == NULL || xnorm == NULL))) {
        status = PV_ENOMEM;
        goto done;
    }
    if (metric == PV_METRIC_COSINE)
        for (int64_t i = 0; i < nq; i++) qnorm[i] = dot_self(t, queries + i * dim, dim);
    for (int64_t r0 = 0; r0 < n; r0 += rows_per_tile) {
        const int64_t nr = n - r0 < rows_per_tile ? n - r0 : rows_per_tile;
        pv_pack_panels(t, elem, (const char *)x + (size_t)r0 * (size_t)dim * elem_bytes, nr, dim, widen, panels);
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
    return status;
}
