/* pv_quant_scores_rows: scores a list of code rows (re-rank candidates) in one call, so Java does
 * not pay one downcall per candidate. */
#include "pv_internal.h"
#include "panavec_quant.h"

void pv_quant_scores_rows(int32_t metric, int32_t bits, int32_t bits2, const float *qt, const void *rows,
                          const void *residual, const int64_t *row_ids, int64_t n, int64_t dim, float *out) {
    const int64_t rb = pv_quant_row_bytes(bits, dim, 1);
    const int64_t xb = bits2 ? pv_quant_row_bytes(bits2, dim, 0) : 0;
    const char *p = (const char *)rows, *x = (const char *)residual;
    for (int64_t i = 0; i < n; i++) {
        const int64_t r = row_ids[i];
        if (i + 1 < n) __builtin_prefetch(p + row_ids[i + 1] * rb, 0, 3);
        out[i] = bits2 ? pv_quant_score2(metric, bits, bits2, qt, p + r * rb, x + r * xb, dim)
                       : pv_quant_score(metric, bits, qt, p + r * rb, dim);
    }
}
