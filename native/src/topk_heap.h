/* The bounded top-k heap shared by the fused scans (topk.c, quant.c): a caller-provided binary heap
 * of (score, row) whose root is the worst kept result, so a candidate is compared with the threshold
 * once and usually dropped. NaN scores are never kept. Internal: static inline, no exported symbols. */
#ifndef PV_TOPK_HEAP_H
#define PV_TOPK_HEAP_H

#include <stdint.h>

/* a ranks strictly before b: better score, or equal score and lower row. */
static inline int pv_heap_better(int higher, float a, int64_t ra, float b, int64_t rb) {
    if (a == b) return ra < rb;
    return higher ? a > b : a < b;
}

static inline void pv_heap_sift_down(int higher, float *hs, int64_t *hr, int64_t size, int64_t i) {
    float s = hs[i];
    int64_t r = hr[i];
    for (;;) {
        int64_t c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && pv_heap_better(higher, hs[c], hr[c], hs[c + 1], hr[c + 1])) c++; /* the worse child */
        if (!pv_heap_better(higher, s, r, hs[c], hr[c])) break;
        hs[i] = hs[c];
        hr[i] = hr[c];
        i = c;
    }
    hs[i] = s;
    hr[i] = r;
}

static inline void pv_heap_sift_up(int higher, float *hs, int64_t *hr, int64_t i) {
    float s = hs[i];
    int64_t r = hr[i];
    while (i > 0) {
        int64_t p = (i - 1) / 2;
        if (!pv_heap_better(higher, hs[p], hr[p], s, r)) break; /* parent already worse */
        hs[i] = hs[p];
        hr[i] = hr[p];
        i = p;
    }
    hs[i] = s;
    hr[i] = r;
}

static inline int64_t pv_heap_push(int higher, int64_t k, float *hs, int64_t *hr, int64_t size, float s, int64_t row) {
    if (s != s) return size;
    if (size < k) {
        hs[size] = s;
        hr[size] = row;
        pv_heap_sift_up(higher, hs, hr, size);
        return size + 1;
    }
    if (pv_heap_better(higher, s, row, hs[0], hr[0])) {
        hs[0] = s;
        hr[0] = row;
        pv_heap_sift_down(higher, hs, hr, size, 0);
    }
    return size;
}

#endif
