/* HNSW search: one beam walk whose acceptance rule is all, post-filter or ACORN-1 (hnsw_internal.h),
 * used by searches over float rows and code rows (quant_hnsw.c) and by inserts (hnsw_build.c). */
#include <math.h>
#include <string.h>

#include "hnsw_internal.h"
#include "pv_internal.h"
#include "topk_heap.h"

static inline void new_epoch(hnsw_ctx *c) {
    if (++c->epoch == 0) { /* wrapped: forget every old mark once per 65535 walks */
        memset(c->visited, 0, (size_t)c->visited_cap * sizeof *c->visited);
        c->epoch = 1;
    }
}

static inline int passes(const pv_hnsw *h, const hnsw_accept *a, uint32_t id) {
    if (a->rule == HNSW_ACCEPT_ALL) return 1;
    if (a->allow != NULL && !((a->allow[id >> 6] >> (id & 63)) & 1u)) return 0;
    return !(a->check_deleted && hnsw_node_deleted(h, id));
}

void hnsw_greedy_descend(const pv_hnsw *h, const hnsw_view *v, hnsw_ctx *c, const float *q, uint32_t *ep, float *ep_d,
                         int level, int64_t *ndist) {
    int changed = 1;
    while (changed) {
        changed = 0;
        int n = hnsw_read_links(h, *ep, level, c->nbr);
        for (int j = 0; j < n; j++) if (c->nbr[j] < v->count) hnsw_prefetch_row(v, c->nbr[j]);
        for (int j = 0; j < n; j++) {
            uint32_t id = c->nbr[j];
            if (id >= v->count) continue;
            float d = v->dist(q, hnsw_row(v, id), v->dim);
            (*ndist)++;
            if (d < *ep_d) {
                *ep_d = d;
                *ep = id;
                changed = 1;
            }
        }
    }
}

/* Marks id visited and adds it to the nodes to score, if it is new and in view. */
static inline int take(const hnsw_view *v, hnsw_ctx *c, uint32_t id, int picked) {
    if (id >= v->count || c->visited[id] == c->epoch) return picked;
    c->visited[id] = c->epoch;
    c->pick[picked] = id;
    hnsw_prefetch_row(v, id);
    return picked + 1;
}

/* The nodes an expansion of cur scores, into c->pick: its new neighbors; under ACORN only those that
 * pass, then the passing neighbors of those that fail (two hops, each failing one crossed once and
 * never scored), at most m0 in all, as ACORN-1 truncates its compressed lists. */
static int expand(const pv_hnsw *h, const hnsw_view *v, hnsw_ctx *c, const hnsw_accept *a, uint32_t cur, int level) {
    int n = hnsw_read_links(h, cur, level, c->nbr), picked = 0;
    if (a->rule != HNSW_ACCEPT_ACORN) {
        /* the visited marks of the whole list first: their misses overlap instead of one after another */
        for (int j = 0; j < n; j++)
            if (c->nbr[j] < v->count) __builtin_prefetch(&c->visited[c->nbr[j]], 1, 3);
        for (int j = 0; j < n; j++) picked = take(v, c, c->nbr[j], picked);
        return picked;
    }
    const int cap = h->m0;
    for (int j = 0; j < n && picked < cap; j++)
        if (c->nbr[j] < v->count && passes(h, a, c->nbr[j])) picked = take(v, c, c->nbr[j], picked);
    for (int j = 0; j < n && picked < cap; j++) {
        uint32_t id = c->nbr[j];
        if (id >= v->count || c->visited[id] == c->epoch) continue;
        c->visited[id] = c->epoch;
        int n2 = hnsw_read_links(h, id, level, c->hop);
        for (int t = 0; t < n2 && picked < cap; t++)
            if (c->hop[t] < v->count && passes(h, a, c->hop[t])) picked = take(v, c, c->hop[t], picked);
    }
    return picked;
}

int hnsw_walk(const pv_hnsw *h, const hnsw_view *v, hnsw_ctx *c, const float *q, uint32_t ep, float ep_d, int level,
              int64_t ef, int64_t keep, const hnsw_accept *a, int64_t *ndist) {
    hnsw_heap *cand = &c->cand, *top = &c->top, *kept = &c->keep;
    if (keep <= ef) keep = 0;
    if (hnsw_heap_reserve(top, ef) != 0 || hnsw_heap_reserve(cand, 64) != 0 || (keep > 0 && hnsw_heap_reserve(kept, keep) != 0))
        return -1;
    new_epoch(c);
    c->visited[ep] = c->epoch;
    /* The heaps' arrays and sizes in locals: the build does not assume strict aliasing, so fields read
     * through c would be reloaded after every heap store. */
    const hnsw_accept rule = *a;
    const graph_distance_fn dist = v->dist;
    const int32_t dim = v->dim;
    const uint32_t *pick = c->pick;
    float *cd = cand->d, *td = top->d;
    int64_t *ci = cand->id, *ti = top->id;
    int64_t cn = pv_heap_insert(1, cd, ci, 0, ep_d, ep);
    int64_t tn = passes(h, &rule, ep) ? pv_heap_insert(0, td, ti, 0, ep_d, ep) : 0;
    float bound = tn > 0 ? td[0] : INFINITY;
    /* a deep walk also keeps the best `keep` nodes it scores, also those the beam drops: re-ranking more of the
     * rows it has already read costs no hop */
    float *kd = kept->d;
    int64_t *ki = kept->id;
    int64_t kn = keep > 0 && tn > 0 ? pv_heap_insert(0, kd, ki, 0, ep_d, ep) : 0;
    float kbound = kn > 0 ? kd[0] : INFINITY;
    int64_t computed = 0;
    while (cn > 0) {
        if (tn >= ef && cd[0] > bound) break;
        uint32_t cur = (uint32_t)ci[0];
        cn = pv_heap_pop(1, cd, ci, cn);
        int picked = expand(h, v, c, &rule, cur, level);
        /* the likely next node to expand: its list loads while this one's neighbors are scored (hnswlib's trick) */
        uint32_t next = cn > 0 ? (uint32_t)ci[0] : UINT32_MAX;
        if (level == 0 && next != UINT32_MAX) hnsw_prefetch_links0(h, next);
        if (cn + picked > cand->cap) {
            if (hnsw_heap_reserve(cand, cn + picked) != 0) return -1;
            cd = cand->d;
            ci = cand->id;
        }
        for (int j = 0; j < picked; j++) {
            uint32_t id = pick[j];
            if (j + 1 < picked) { /* pull the rest of the next row while this one is scored */
                const char *p = (const char *)hnsw_row(v, pick[j + 1]);
                for (size_t off = 128; off < v->row_bytes; off += 64) __builtin_prefetch(p + off, 0, 3);
            }
            float d = dist(q, hnsw_row(v, id), dim);
            computed++;
            if (keep > 0 && (kn < keep || d < kbound) && passes(h, &rule, id)) {
                kn = pv_heap_push(0, keep, kd, ki, kn, d, id);
                kbound = kd[0];
            }
            if (tn < ef || d < bound) {
                cn = pv_heap_insert(1, cd, ci, cn, d, id);
                if (level == 0 && ci[0] == id) hnsw_prefetch_links0(h, id); /* a new nearest frontier node: next to expand */
                if (passes(h, &rule, id)) {
                    tn = pv_heap_push(0, ef, td, ti, tn, d, id);
                    bound = td[0];
                }
            }
        }
    }
    cand->n = cn;
    top->n = tn;
    kept->n = kn;
    *ndist += computed;
    return 0;
}

int32_t hnsw_check_search(const void *index, const void *rows, const float *query, int32_t k, int32_t ef_search,
                          const int64_t *out_rows, const float *out_scores, const int32_t *out_n_found, char *err,
                          int64_t errcap) {
    if (index == NULL || rows == NULL || query == NULL || out_rows == NULL || out_scores == NULL || out_n_found == NULL) {
        pv_set_err(err, errcap, "index, vectors or codes, query, out_rows, out_scores and out_n_found must not be NULL");
        return PV_EINVAL;
    }
    if (k < 1 || ef_search < 1) {
        pv_set_err(err, errcap, "k and ef_search must be >= 1 (k %d, ef_search %d)", k, ef_search);
        return PV_EINVAL;
    }
    return PV_OK;
}

int32_t hnsw_search(const pv_hnsw *h, const hnsw_view *v, const float *query, int32_t k, int32_t ef_search,
                    const uint64_t *allow, hnsw_rule rule, int deep, int64_t *out_rows, float *out_scores,
                    int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap) {
    *out_n_found = 0;
    if (out_n_distance_computations != NULL) *out_n_distance_computations = 0;
    uint64_t e = __atomic_load_n(&h->entry, __ATOMIC_ACQUIRE);
    if (e == HNSW_NO_ENTRY) return PV_OK;
    uint32_t ep = (uint32_t)e;
    int top_level = (int)(e >> 32);
    hnsw_ctx *c = hnsw_ctx_acquire(h, v->count);
    if (c == NULL) {
        pv_set_err(err, errcap, "out of memory for search scratch");
        return PV_ENOMEM;
    }
    if (ep >= v->count) {
        /* The entry point is a row this view cannot see (added after the view was taken): start
         * from the first visible linked row instead. Rare; costs only speed. */
        uint32_t r = 0;
        while (r < v->count && hnsw_read_links(h, r, 0, c->nbr) == 0) r++;
        if (r >= v->count) {
            hnsw_ctx_release(h, c);
            return PV_OK;
        }
        ep = r;
        top_level = hnsw_node_level(h, r);
    }
    int64_t ndist = 1;
    float ep_d = v->dist(query, hnsw_row(v, ep), v->dim);
    /* upper levels unfiltered: they only pick where level 0 starts */
    for (int l = top_level; l > 0; l--) hnsw_greedy_descend(h, v, c, query, &ep, &ep_d, l, &ndist);
    hnsw_accept a = {rule, allow, __atomic_load_n(&h->n_deleted, __ATOMIC_RELAXED) > 0};
    if (a.rule == HNSW_ACCEPT_POST_FILTER && allow == NULL && !a.check_deleted) a.rule = HNSW_ACCEPT_ALL;
    const int keep_deep = deep && k > ef_search;
    int64_t ef = ef_search > k || keep_deep ? ef_search : k;
    if (hnsw_walk(h, v, c, query, ep, ep_d, 0, ef, keep_deep ? k : 0, &a, &ndist) != 0) {
        hnsw_ctx_release(h, c);
        pv_set_err(err, errcap, "out of memory during search");
        return PV_ENOMEM;
    }
    hnsw_heap *top = keep_deep ? &c->keep : &c->top;
    pv_heap_sort(0, top->d, top->id, top->n); /* nearest first, ties by row */
    int32_t n = top->n < k ? (int32_t)top->n : k;
    for (int32_t i = 0; i < n; i++) {
        out_rows[i] = top->id[i];
        out_scores[i] = h->metric == PV_METRIC_L2 ? top->d[i] : -top->d[i];
    }
    hnsw_ctx_release(h, c);
    *out_n_found = n;
    if (out_n_distance_computations != NULL) *out_n_distance_computations = ndist;
    return PV_OK;
}

int32_t pv_hnsw_search(const pv_hnsw *h, const pv_vectors *vectors, const float *query, int32_t k, int32_t ef_search,
                       const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found,
                       int64_t *out_n_distance_computations, char *err, int64_t errcap) {
    hnsw_view v;
    int32_t rc = hnsw_check_search(h, vectors, query, k, ef_search, out_rows, out_scores, out_n_found, err, errcap);
    if (rc == PV_OK) rc = hnsw_view_of(h, vectors, &v, err, errcap);
    if (rc != PV_OK) return rc;
    return hnsw_search(h, &v, query, k, ef_search, allow, HNSW_ACCEPT_POST_FILTER, 0, out_rows, out_scores, out_n_found,
                       out_n_distance_computations, err, errcap);
}

int32_t pv_hnsw_search_filtered(const pv_hnsw *h, const pv_vectors *vectors, const float *query, int32_t k,
                                int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores,
                                int32_t *out_n_found, int64_t *out_n_distance_computations, char *err,
                                int64_t errcap) {
    hnsw_view v;
    int32_t rc = hnsw_check_search(h, vectors, query, k, ef_search, out_rows, out_scores, out_n_found, err, errcap);
    if (rc == PV_OK && allow == NULL) {
        pv_set_err(err, errcap, "allow must not be NULL: the filter-aware search needs the filter");
        rc = PV_EINVAL;
    }
    if (rc == PV_OK) rc = hnsw_view_of(h, vectors, &v, err, errcap);
    if (rc != PV_OK) return rc;
    return hnsw_search(h, &v, query, k, ef_search, allow, HNSW_ACCEPT_ACORN, 0, out_rows, out_scores, out_n_found,
                       out_n_distance_computations, err, errcap);
}
