/* pv_f32_scores_at: scores float32 rows where they lie (memory-mapped store rows named by address), so a
 * re-rank of n candidates costs n row reads instead of a gather copy into a zeroed buffer plus the reads. */
#include "kernels.h"
#include "panavec.h"

void pv_f32_scores_at(int32_t metric, const float *q, const int64_t *addrs, int64_t n, int64_t dim, float *out) {
    const pv_kernel_table *k = pv_active_kernels();
    /* every row's first line up front (their misses and page walks overlap instead of one per row), then the rest of
     * the next row (up to 4 KB: beyond, the hardware prefetcher follows) while this one is scored: 15-25% faster
     * than two lines of the next row only, on 24 to 384 random 1.5 KB rows out of cache (a window of 32 rows' first
     * lines, and whole rows two ahead, were slower) */
    for (int64_t i = 0; i < n; i++) __builtin_prefetch((const char *)(intptr_t)addrs[i], 0, 3);
    const int64_t ahead = dim * 4 < 4096 ? dim * 4 : 4096;
    for (int64_t i = 0; i < n; i++) {
        if (i + 1 < n) {
            const char *next = (const char *)(intptr_t)addrs[i + 1];
            for (int64_t off = 64; off < ahead; off += 64) __builtin_prefetch(next + off, 0, 3);
        }
        out[i] = k->f32_score(metric, q, (const float *)(intptr_t)addrs[i], dim);
    }
}
