/* The one binary heap of (score, row) pairs in parallel arrays, used by the fused scans (topk.c, quant.c)
 * and the graph (hnsw_search.c, hnsw_build.c). Its root is the worst entry under the order `higher`
 * (1: higher scores are better; 0: lower are better), so a bounded heap of the best k compares a candidate
 * with its threshold once and usually drops it. The graph also keeps its frontier here: distances under
 * higher = 1 put the nearest node at the root. Ties rank the lower row first. NaN scores are never kept.
 * Internal: static inline, no exported symbols. */
#ifndef PV_TOPK_HEAP_H
#define PV_TOPK_HEAP_H

#include <stdint.h>

/* a ranks strictly before b: better score, or equal score and lower row. */
static inline int pv_heap_better(int higher, float a, int64_t ra, float b, int64_t rb) {
    return higher ? a > b || (a == b && ra < rb) : a < b || (a == b && ra < rb); /* one compare when it decides */
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


/* Inserts without a bound (the caller guarantees room for size + 1); returns the new size. */
static inline int64_t pv_heap_insert(int higher, float *hs, int64_t *hr, int64_t size, float s, int64_t row) {
    if (s != s) return size;
    hs[size] = s;
    hr[size] = row;
    pv_heap_sift_up(higher, hs, hr, size);
    return size + 1;
}

/* Removes the root (size > 0); returns the new size. */
static inline int64_t pv_heap_pop(int higher, float *hs, int64_t *hr, int64_t size) {
    size--;
    if (size > 0) {
        hs[0] = hs[size];
        hr[0] = hr[size];
        pv_heap_sift_down(higher, hs, hr, size, 0);
    }
    return size;
}

/* Heapsort in place: each pop moves the current worst to the end, so the arrays end best first. */
static inline void pv_heap_sort(int higher, float *hs, int64_t *hr, int64_t size) {
    for (int64_t end = size - 1; end > 0; end--) {
        float s = hs[0];
        int64_t r = hr[0];
        hs[0] = hs[end];
        hr[0] = hr[end];
        hs[end] = s;
        hr[end] = r;
        pv_heap_sift_down(higher, hs, hr, end, 0);
    }
}

/* Keeps the best k: inserts while there is room, else replaces the root if better; returns the new size. */
static inline int64_t pv_heap_push(int higher, int64_t k, float *hs, int64_t *hr, int64_t size, float s, int64_t row) {
    if (s != s) return size;
    if (size < k) return pv_heap_insert(higher, hs, hr, size, s, row);
    if (pv_heap_better(higher, s, row, hs[0], hr[0])) {
        hs[0] = s;
        hr[0] = row;
        pv_heap_sift_down(higher, hs, hr, size, 0);
    }
    return size;
}

#endif
