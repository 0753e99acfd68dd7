/* pv_f32_scores_at: scores float32 rows where they lie (memory-mapped store rows named by address), so a
 * re-rank of n candidates costs n row reads instead of a gather copy into a zeroed buffer plus the reads. */
#include "kernels.h"
#include "panavec.h"

void pv_f32_scores_at(int32_t metric, const float *q, const int64_t *addrs, int64_t n, int64_t dim, float *out) {
    const pv_kernel_table *k = pv_active_kernels();
    for (int64_t i = 0; i < n; i++) {
        if (i + 1 < n) { /* the next row's first lines; the hardware prefetcher follows within the row */
            const char *next = (const char *)(intptr_t)addrs[i + 1];
            __builtin_prefetch(next, 0, 3);
            __builtin_prefetch(next + 64, 0, 3);
        }
        out[i] = k->f32_score(metric, q, (const float *)(intptr_t)addrs[i], dim);
    }
}
