/* Blocked multi-query top-k: a tile of ROW_TILE rows is scored against every query of the call (in
 * blocks of Q_TILE queries) while it sits in L2, so a 1,000-query batch reads each row from memory
 * once instead of 1,000 times and the work becomes compute-bound (register-blocked FMA tiles).
 * f16 rows are widened once per tile, not once per query. Scores then go through the same bounded
 * heap as the one-query scan (topk_heap.h). The tiles are the ISA kernel f32_score_tile (topk_batch_*.c). */
#include <stdlib.h>

#include "kernels.h"
#include "topk_heap.h"

#define ROW_TILE 128
#define Q_TILE 32

static float dot_self(const pv_kernel_table *t, const float *v, int64_t dim) { return t->f32_score(PV_METRIC_IP, v, v, dim); }

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
    float *wide = NULL; /* f16 rows widened to f32, one tile */
    float *qnorm = NULL;
    if (elem == PV_ELEM_F16 && (wide = malloc(sizeof(float) * ROW_TILE * (size_t)dim)) == NULL) return PV_ENOMEM;
    if (metric == PV_METRIC_COSINE) {
        if ((qnorm = malloc(sizeof(float) * (size_t)nq)) == NULL) {
            free(wide);
            return PV_ENOMEM;
        }
        for (int64_t i = 0; i < nq; i++) qnorm[i] = dot_self(t, queries + i * dim, dim);
    }
    float scores[Q_TILE * ROW_TILE];
    float xnorm[ROW_TILE];
    for (int64_t r0 = 0; r0 < n; r0 += ROW_TILE) {
        const int64_t nr = n - r0 < ROW_TILE ? n - r0 : ROW_TILE;
        const float *rows;
        if (elem == PV_ELEM_F16) {
            t->f16_to_f32((const uint16_t *)x + r0 * dim, wide, nr * dim);
            rows = wide;
        } else {
            rows = (const float *)x + r0 * dim;
        }
        if (metric == PV_METRIC_COSINE)
            for (int64_t j = 0; j < nr; j++) xnorm[j] = dot_self(t, rows + j * dim, dim);
        for (int64_t q0 = 0; q0 < nq; q0 += Q_TILE) {
            const int64_t mq = nq - q0 < Q_TILE ? nq - q0 : Q_TILE;
            t->f32_score_tile(raw, queries + q0 * dim, mq, rows, nr, dim, scores, ROW_TILE);
            for (int64_t i = 0; i < mq; i++) {
                const int64_t qi = q0 + i;
                float *hs = heap_scores + qi * k;
                int64_t *hr = heap_rows + qi * k;
                int64_t size = heap_sizes[qi];
                const float *s = scores + i * ROW_TILE;
                for (int64_t j = 0; j < nr; j++) {
                    const int64_t row = base_row + r0 + j;
                    if (allow != NULL && !((allow[row >> 6] >> (row & 63)) & 1u)) continue;
                    float v = metric == PV_METRIC_COSINE ? pv_cosine_from(s[j], qnorm[qi], xnorm[j]) : s[j];
                    size = pv_heap_push(higher, k, hs, hr, size, v, row);
                }
                heap_sizes[qi] = size;
            }
        }
    }
    free(wide);
    free(qnorm);
    return PV_OK;
}
