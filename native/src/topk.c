/* Fused scan keeping the best k: scores a block of vectors back to back with the active
 * one-to-many kernel into a stack buffer, then merges the block into a caller-provided binary
 * heap whose root is the worst kept result (so a candidate is compared with the threshold once
 * and usually dropped). No allocation. NaN scores are never kept. */
#include <stddef.h>

#include "kernels.h"
#include "panavec.h"
#include "topk_heap.h"

#define TOPK_BLOCK 256

static inline int allowed(const uint64_t *allow, int64_t row) { return (int)((allow[row >> 6] >> (row & 63)) & 1u); }

/* The allow bits of rows [r, r + take) (take <= 64 - (r & 63)), in the low bits. */
static inline uint64_t allow_bits(const uint64_t *allow, int64_t r, int64_t take) {
    uint64_t bits = allow[r >> 6] >> (r & 63);
    return take < 64 ? bits & ((1ull << take) - 1) : bits;
}

/* How many of rows [row0, row0 + m) are allowed: a word at a time, so a selective filter costs a
 * popcount per 64 rows rather than a test per row. */
static int64_t count_allowed(const uint64_t *allow, int64_t row0, int64_t m) {
    int64_t count = 0;
    for (int64_t r = row0, end = row0 + m; r < end;) {
        int64_t take = 64 - (r & 63);
        if (take > end - r) take = end - r;
        count += __builtin_popcountll(allow_bits(allow, r, take));
        r += take;
    }
    return count;
}

enum elem { E_F32, E_F16, E_I8 };

static int64_t topk(enum elem el, int32_t metric, const void *q, const void *x, int64_t n, int64_t dim,
                    int64_t base_row, const uint64_t *allow, int64_t k, float *hs, int64_t *hr, int64_t size) {
    if (k <= 0 || n <= 0) return size;
    const pv_kernel_table *t = pv_active_kernels();
    const int higher = metric != PV_METRIC_L2;
    const size_t esz = el == E_F32 ? 4 : el == E_F16 ? 2 : 1;
    const char *xb = (const char *)x;
    float buf[TOPK_BLOCK];
    for (int64_t b = 0; b < n; b += TOPK_BLOCK) {
        const int64_t m = n - b < TOPK_BLOCK ? n - b : TOPK_BLOCK;
        const char *xv = xb + (size_t)b * (size_t)dim * esz;
        const int64_t row0 = base_row + b;
        if (allow != NULL) {
            int64_t count = count_allowed(allow, row0, m);
            if (count == 0) continue;
            if (count < m / 2) { /* selective filter: score only the allowed rows, found by their set bits */
                for (int64_t r = row0, end = row0 + m; r < end;) {
                    int64_t take = 64 - (r & 63);
                    if (take > end - r) take = end - r;
                    for (uint64_t bits = allow_bits(allow, r, take); bits != 0; bits &= bits - 1) {
                        int64_t j = r - row0 + __builtin_ctzll(bits);
                        const char *v = xv + (size_t)j * (size_t)dim * esz;
                        float s = el == E_F32   ? t->f32_score(metric, q, (const float *)v, dim)
                                  : el == E_F16 ? t->f16_score(metric, q, (const uint16_t *)v, dim)
                                                : t->i8_score(metric, q, (const int8_t *)v, dim);
                        size = pv_heap_push(higher, k, hs, hr, size, s, row0 + j);
                    }
                    r += take;
                }
                continue;
            }
        }
        switch (el) {
        case E_F32: t->f32_scores(metric, q, (const float *)xv, m, dim, buf); break;
        case E_F16: t->f16_scores(metric, q, (const uint16_t *)xv, m, dim, buf); break;
        default: t->i8_scores(metric, q, (const int8_t *)xv, m, dim, buf); break;
        }
        for (int64_t j = 0; j < m; j++) {
            if (allow != NULL && !allowed(allow, row0 + j)) continue;
            size = pv_heap_push(higher, k, hs, hr, size, buf[j], row0 + j);
        }
    }
    return size;
}

int64_t pv_f32_topk(int32_t metric, const float *q, const float *x, int64_t n, int64_t dim, int64_t base_row,
                    const uint64_t *allow, int64_t k, float *heap_scores, int64_t *heap_rows, int64_t heap_size) {
    return topk(E_F32, metric, q, x, n, dim, base_row, allow, k, heap_scores, heap_rows, heap_size);
}

int64_t pv_f16_topk(int32_t metric, const float *q, const uint16_t *x, int64_t n, int64_t dim, int64_t base_row,
                    const uint64_t *allow, int64_t k, float *heap_scores, int64_t *heap_rows, int64_t heap_size) {
    return topk(E_F16, metric, q, x, n, dim, base_row, allow, k, heap_scores, heap_rows, heap_size);
}

int64_t pv_i8_topk(int32_t metric, const int8_t *q, const int8_t *x, int64_t n, int64_t dim, int64_t base_row,
                   const uint64_t *allow, int64_t k, float *heap_scores, int64_t *heap_rows, int64_t heap_size) {
    return topk(E_I8, metric, q, x, n, dim, base_row, allow, k, heap_scores, heap_rows, heap_size);
}

void pv_topk_sort(int32_t metric, float *heap_scores, int64_t *heap_rows, int64_t heap_size) {
    pv_heap_sort(metric != PV_METRIC_L2, heap_scores, heap_rows, heap_size);
}
