/*
 * HNSW graph index: build (parallel insert), search, tombstones, rebuild.
 *
 * Concurrency: every node has a seqlock (seq) over its neighbor lists. Writers take it
 * (CAS to odd), change the list, release it (even). Readers copy a list and retry if seq moved,
 * so searches never block and never see a torn list. The entry point and top level are one
 * atomic word. Nodes live in blocks that never move.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hnsw_internal.h"
#include "pv_internal.h"

static inline const float *view_row(const hnsw_view *v, uint32_t r) {
    return (const float *)(v->chunks[(uint64_t)r >> v->shift] + (size_t)((uint64_t)r & v->mask) * v->row_bytes);
}

static inline void prefetch_row(const hnsw_view *v, uint32_t r) {
    const char *p = (const char *)view_row(v, r);
    __builtin_prefetch(p, 0, 3);
    __builtin_prefetch(p + 64, 0, 3);
}

static inline void cpu_relax(void) { __builtin_ia32_pause(); }

/* ---- allocation ------------------------------------------------------------------------ */

pv_hnsw *hnsw_alloc(int32_t dim, int32_t metric, int32_t m, int32_t ef_construction, uint64_t seed) {
    pv_hnsw *h = calloc(1, sizeof *h);
    if (h == NULL) return NULL;
    h->blocks = calloc((size_t)HNSW_MAX_BLOCKS, sizeof *h->blocks);
    if (h->blocks == NULL) {
        free(h);
        return NULL;
    }
    h->dim = dim;
    h->metric = metric;
    h->m = m;
    h->m0 = 2 * m;
    h->ef_construction = ef_construction;
    h->stride0 = 1 + h->m0;
    h->stride_up = 1 + m;
    h->seed = seed;
    h->level_mult = 1.0 / log((double)m);
    h->entry = HNSW_NO_ENTRY;
    pthread_mutex_init(&h->add_mutex, NULL);
    pthread_mutex_init(&h->entry_mutex, NULL);
    pthread_mutex_init(&h->pool_mutex, NULL);
    return h;
}

int hnsw_ensure_blocks(pv_hnsw *h, int64_t n_nodes) {
    int64_t need = (n_nodes + HNSW_BLOCK_NODES - 1) >> HNSW_BLOCK_LOG2;
    while (h->n_blocks < need) {
        hnsw_block *b = calloc(1, sizeof *b);
        if (b == NULL) return -1;
        b->links0 = calloc((size_t)HNSW_BLOCK_NODES * (size_t)h->stride0, sizeof(uint32_t));
        b->upper = calloc(HNSW_BLOCK_NODES, sizeof *b->upper);
        b->seq = calloc(HNSW_BLOCK_NODES, sizeof *b->seq);
        b->level = calloc(HNSW_BLOCK_NODES, 1);
        b->deleted = calloc(HNSW_BLOCK_NODES, 1);
        if (!b->links0 || !b->upper || !b->seq || !b->level || !b->deleted) {
            free(b->links0);
            free(b->upper);
            free(b->seq);
            free(b->level);
            free(b->deleted);
            free(b);
            return -1;
        }
        __atomic_store_n(&h->blocks[h->n_blocks], b, __ATOMIC_RELEASE);
        h->n_blocks++;
    }
    return 0;
}

int hnsw_alloc_upper(pv_hnsw *h, uint32_t id, int level) {
    hnsw_block *b = h->blocks[id >> HNSW_BLOCK_LOG2];
    uint32_t i = id & HNSW_BLOCK_MASK;
    /* Left over from an add that failed before publishing this node: keep it, since a reader may
     * hold it and the level (a function of seed and row) is the same. */
    if (b->upper[i] != NULL) return 0;
    size_t bytes = (size_t)level * (size_t)h->stride_up * sizeof(uint32_t);
    uint32_t *u = calloc(1, bytes);
    __atomic_store_n(&b->upper[i], u, __ATOMIC_RELEASE);
    if (u == NULL) return -1;
    __atomic_fetch_add(&h->upper_bytes, (int64_t)bytes, __ATOMIC_RELAXED);
    return 0;
}

static void ctx_free(hnsw_ctx *c) {
    if (c == NULL) return;
    free(c->visited);
    free(c->cand);
    free(c->top);
    free(c->nbr);
    free(c->sel);
    free(c->chosen);
    free(c);
}

void pv_hnsw_free(pv_hnsw *h) {
    if (h == NULL) return;
    for (int64_t bi = 0; bi < h->n_blocks; bi++) {
        hnsw_block *b = h->blocks[bi];
        for (uint32_t i = 0; i < HNSW_BLOCK_NODES; i++) free(b->upper[i]);
        free(b->links0);
        free(b->upper);
        free(b->seq);
        free(b->level);
        free(b->deleted);
        free(b);
    }
    free(h->blocks);
    while (h->pool != NULL) {
        hnsw_ctx *c = h->pool;
        h->pool = c->next;
        ctx_free(c);
    }
    pthread_mutex_destroy(&h->add_mutex);
    pthread_mutex_destroy(&h->entry_mutex);
    pthread_mutex_destroy(&h->pool_mutex);
    free(h);
}

/* ---- per-thread scratch ---------------------------------------------------------------- */

/* A context whose visited set covers ids < n_ids, or NULL when out of memory. */
static hnsw_ctx *ctx_acquire(const pv_hnsw *h_const, int64_t n_ids) {
    pv_hnsw *h = (pv_hnsw *)h_const; /* the pool is internal mutable state */
    pthread_mutex_lock(&h->pool_mutex);
    hnsw_ctx *c = h->pool;
    if (c != NULL) h->pool = c->next;
    pthread_mutex_unlock(&h->pool_mutex);
    if (c == NULL) {
        c = calloc(1, sizeof *c);
        if (c == NULL) return NULL;
        int64_t sel_cap = (int64_t)h->ef_construction + h->m0 + 2;
        c->nbr = malloc((size_t)h->stride0 * sizeof *c->nbr);
        c->sel = malloc((size_t)sel_cap * sizeof *c->sel);
        c->chosen = malloc((size_t)sel_cap * sizeof *c->chosen);
        if (!c->nbr || !c->sel || !c->chosen) {
            ctx_free(c);
            return NULL;
        }
    }
    if (c->visited_cap < n_ids) {
        int64_t cap = n_ids + n_ids / 4 + 1024;
        uint16_t *v = realloc(c->visited, (size_t)cap * sizeof *v);
        if (v == NULL) {
            ctx_free(c);
            return NULL;
        }
        memset(v + c->visited_cap, 0, (size_t)(cap - c->visited_cap) * sizeof *v);
        c->visited = v;
        c->visited_cap = cap;
    }
    return c;
}

static void ctx_release(const pv_hnsw *h_const, hnsw_ctx *c) {
    pv_hnsw *h = (pv_hnsw *)h_const;
    pthread_mutex_lock(&h->pool_mutex);
    c->next = h->pool;
    h->pool = c;
    pthread_mutex_unlock(&h->pool_mutex);
}

static inline void ctx_new_epoch(hnsw_ctx *c) {
    if (++c->epoch == 0) { /* wrapped: forget every old mark once per 65535 searches */
        memset(c->visited, 0, (size_t)c->visited_cap * sizeof *c->visited);
        c->epoch = 1;
    }
}

/* Heaps on (d, id): cand is a min-heap, top a max-heap; ties compare ids so results are stable. */
static inline int cand_less(hnsw_cand a, hnsw_cand b) { return a.d < b.d || (a.d == b.d && a.id < b.id); }

static int heap_grow(hnsw_cand **a, int64_t *cap) {
    int64_t nc = *cap < 64 ? 64 : *cap * 2;
    hnsw_cand *p = realloc(*a, (size_t)nc * sizeof *p);
    if (p == NULL) return -1;
    *a = p;
    *cap = nc;
    return 0;
}

static inline int minheap_push(hnsw_cand **a, int64_t *n, int64_t *cap, hnsw_cand x) {
    if (*n == *cap && heap_grow(a, cap) != 0) return -1;
    hnsw_cand *h = *a;
    int64_t i = (*n)++;
    while (i > 0) {
        int64_t p = (i - 1) >> 1;
        if (!cand_less(x, h[p])) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
    return 0;
}

static inline hnsw_cand minheap_pop(hnsw_cand *h, int64_t *n) {
    hnsw_cand top = h[0], x = h[--(*n)];
    int64_t i = 0, len = *n;
    for (;;) {
        int64_t l = 2 * i + 1;
        if (l >= len) break;
        if (l + 1 < len && cand_less(h[l + 1], h[l])) l++;
        if (!cand_less(h[l], x)) break;
        h[i] = h[l];
        i = l;
    }
    if (len > 0) h[i] = x;
    return top;
}

static inline int maxheap_push(hnsw_cand **a, int64_t *n, int64_t *cap, hnsw_cand x) {
    if (*n == *cap && heap_grow(a, cap) != 0) return -1;
    hnsw_cand *h = *a;
    int64_t i = (*n)++;
    while (i > 0) {
        int64_t p = (i - 1) >> 1;
        if (!cand_less(h[p], x)) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
    return 0;
}

static inline hnsw_cand maxheap_pop(hnsw_cand *h, int64_t *n) {
    hnsw_cand top = h[0], x = h[--(*n)];
    int64_t i = 0, len = *n;
    for (;;) {
        int64_t l = 2 * i + 1;
        if (l >= len) break;
        if (l + 1 < len && cand_less(h[l], h[l + 1])) l++;
        if (!cand_less(x, h[l])) break;
        h[i] = h[l];
        i = l;
    }
    if (len > 0) h[i] = x;
    return top;
}

/* ---- node access ----------------------------------------------------------------------- */

static inline uint32_t *list_at(const pv_hnsw *h, hnsw_block *b, uint32_t i, int level) {
    if (level == 0) return b->links0 + (size_t)i * (size_t)h->stride0;
    uint32_t *u = __atomic_load_n(&b->upper[i], __ATOMIC_ACQUIRE);
    return u + (size_t)(level - 1) * (size_t)h->stride_up;
}

static inline int node_level(const pv_hnsw *h, uint32_t id) {
    return __atomic_load_n(&hnsw_block_of(h, id)->level[id & HNSW_BLOCK_MASK], __ATOMIC_RELAXED);
}

static inline int node_deleted(const pv_hnsw *h, uint32_t id) {
    return __atomic_load_n(&hnsw_block_of(h, id)->deleted[id & HNSW_BLOCK_MASK], __ATOMIC_RELAXED);
}

/* Copies the neighbor list of id at level into out; returns its length. Lock-free for readers. */
static inline int read_links(const pv_hnsw *h, uint32_t id, int level, uint32_t *out) {
    hnsw_block *b = hnsw_block_of(h, id);
    uint32_t i = id & HNSW_BLOCK_MASK;
    const uint32_t *src = list_at(h, b, i, level);
    uint32_t cap = (uint32_t)(level == 0 ? h->m0 : h->m);
    for (;;) {
        uint32_t s1 = __atomic_load_n(&b->seq[i], __ATOMIC_ACQUIRE);
        if (s1 & 1u) {
            cpu_relax();
            continue;
        }
        uint32_t n = __atomic_load_n(&src[0], __ATOMIC_RELAXED);
        if (n > cap) n = cap;
        for (uint32_t j = 0; j < n; j++) out[j] = __atomic_load_n(&src[1 + j], __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&b->seq[i], __ATOMIC_RELAXED) == s1) return (int)n;
    }
}

static inline void lock_node(hnsw_block *b, uint32_t i) {
    for (;;) {
        uint32_t s = __atomic_load_n(&b->seq[i], __ATOMIC_RELAXED);
        if (!(s & 1u) && __atomic_compare_exchange_n(&b->seq[i], &s, s + 1, 1, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
            return;
        cpu_relax();
    }
}

static inline void unlock_node(hnsw_block *b, uint32_t i) { __atomic_fetch_add(&b->seq[i], 1u, __ATOMIC_RELEASE); }

static inline void write_list(uint32_t *dst, const uint32_t *ids, int n) {
    for (int j = 0; j < n; j++) __atomic_store_n(&dst[1 + j], ids[j], __ATOMIC_RELAXED);
    __atomic_store_n(&dst[0], (uint32_t)n, __ATOMIC_RELAXED);
}

/* ---- search ---------------------------------------------------------------------------- */

typedef struct {
    const uint64_t *allow; /* NULL: all rows */
    int check_deleted;
} hnsw_filter;

static inline int accepted(const pv_hnsw *h, const hnsw_filter *f, uint32_t id) {
    if (f == NULL) return 1;
    if (f->allow != NULL && !((f->allow[id >> 6] >> (id & 63)) & 1u)) return 0;
    return !(f->check_deleted && node_deleted(h, id));
}

/* Walks level greedily from *ep to a local minimum of the distance to q. */
static void greedy_descend(const pv_hnsw *h, const hnsw_view *v, hnsw_ctx *c, const float *q, uint32_t *ep,
                           float *ep_d, int level, int64_t *ndist) {
    int changed = 1;
    while (changed) {
        changed = 0;
        int n = read_links(h, *ep, level, c->nbr);
        for (int j = 0; j < n; j++) if (c->nbr[j] < v->count) prefetch_row(v, c->nbr[j]);
        for (int j = 0; j < n; j++) {
            uint32_t id = c->nbr[j];
            if (id >= v->count) continue;
            float d = v->dist(q, view_row(v, id), v->dim);
            (*ndist)++;
            if (d < *ep_d) {
                *ep_d = d;
                *ep = id;
                changed = 1;
            }
        }
    }
}

/* Beam search on one level from ep. Leaves the best ef accepted nodes in c->top (a max-heap);
 * nodes that are not accepted are still expanded. Returns 0, or -1 when out of memory. */
static int search_level(const pv_hnsw *h, const hnsw_view *v, hnsw_ctx *c, const float *q, uint32_t ep, float ep_d,
                        int level, int64_t ef, const hnsw_filter *f, int64_t *ndist) {
    ctx_new_epoch(c);
    uint16_t *vis = c->visited;
    const uint16_t epoch = c->epoch;
    const int32_t dim = v->dim;
    const graph_distance_fn dist = v->dist;
    c->cand_n = 0;
    c->top_n = 0;
    vis[ep] = epoch;
    hnsw_cand first = {ep_d, ep};
    if (minheap_push(&c->cand, &c->cand_n, &c->cand_cap, first) != 0) return -1;
    if (accepted(h, f, ep) && maxheap_push(&c->top, &c->top_n, &c->top_cap, first) != 0) return -1;
    float bound = c->top_n > 0 ? c->top[0].d : INFINITY;
    uint32_t *nbr = c->nbr;
    int64_t computed = 0;
    while (c->cand_n > 0) {
        hnsw_cand cur = c->cand[0];
        if (c->top_n >= ef && cur.d > bound) break;
        minheap_pop(c->cand, &c->cand_n);
        int n = read_links(h, cur.id, level, nbr);
        int fresh = 0;
        for (int j = 0; j < n; j++) {
            uint32_t id = nbr[j];
            if (id >= v->count || vis[id] == epoch) continue;
            vis[id] = epoch;
            nbr[fresh++] = id;
            prefetch_row(v, id);
        }
        for (int j = 0; j < fresh; j++) {
            uint32_t id = nbr[j];
            if (j + 1 < fresh) { /* pull the rest of the next row while this one is scored */
                const char *p = (const char *)view_row(v, nbr[j + 1]);
                for (size_t off = 128; off < v->row_bytes; off += 64) __builtin_prefetch(p + off, 0, 3);
            }
            float d = dist(q, view_row(v, id), dim);
            computed++;
            if (c->top_n < ef || d < bound) {
                hnsw_cand x = {d, id};
                if (minheap_push(&c->cand, &c->cand_n, &c->cand_cap, x) != 0) return -1;
                if (accepted(h, f, id)) {
                    if (maxheap_push(&c->top, &c->top_n, &c->top_cap, x) != 0) return -1;
                    if (c->top_n > ef) maxheap_pop(c->top, &c->top_n);
                    bound = c->top[0].d;
                }
            }
        }
    }
    *ndist += computed;
    return 0;
}

/* Drains c->top into out sorted best first (ascending distance, then id); returns the count. */
static int64_t drain_sorted(hnsw_ctx *c, hnsw_cand *out) {
    int64_t n = c->top_n;
    for (int64_t i = n - 1; i >= 0; i--) out[i] = maxheap_pop(c->top, &c->top_n);
    return n;
}

/* ---- insert ---------------------------------------------------------------------------- */

/* The neighbor-selection heuristic of the HNSW paper (alg. 4): walking candidates from nearest,
 * keep one only if it is closer to the base than to every one kept, so links spread out.
 * cand is sorted ascending; returns how many ids were written to out (at most max_n). */
static int select_neighbors(const hnsw_view *v, const hnsw_cand *cand, int64_t n, int max_n,
                            uint32_t *out) {
    if (n <= max_n) {
        for (int64_t i = 0; i < n; i++) out[i] = cand[i].id;
        return (int)n;
    }
    int k = 0;
    for (int64_t i = 0; i < n && k < max_n; i++) {
        const float *x = view_row(v, cand[i].id);
        int keep = 1;
        for (int j = 0; j < k; j++) {
            if (v->dist(x, view_row(v, out[j]), v->dim) < cand[i].d) {
                keep = 0;
                break;
            }
        }
        if (keep) out[k++] = cand[i].id;
    }
    return k;
}

static int cmp_cand(const void *a, const void *b) {
    hnsw_cand x = *(const hnsw_cand *)a, y = *(const hnsw_cand *)b;
    return cand_less(x, y) ? -1 : cand_less(y, x) ? 1 : 0;
}

/* Adds id to the list of node at level; if full, re-selects among old neighbors + id. */
static void link_back(const pv_hnsw *h, const hnsw_view *v, hnsw_ctx *c, uint32_t node, uint32_t id, int level) {
    hnsw_block *b = hnsw_block_of(h, node);
    uint32_t i = node & HNSW_BLOCK_MASK;
    uint32_t *list = list_at(h, b, i, level);
    int cap = level == 0 ? h->m0 : h->m;
    lock_node(b, i);
    int n = (int)list[0];
    for (int j = 0; j < n; j++) {
        if (list[1 + j] == id) {
            unlock_node(b, i);
            return;
        }
    }
    if (n < cap) {
        __atomic_store_n(&list[1 + n], id, __ATOMIC_RELAXED);
        __atomic_store_n(&list[0], (uint32_t)(n + 1), __ATOMIC_RELAXED);
    } else {
        const float *x = view_row(v, node);
        hnsw_cand *sel = c->sel;
        sel[0].id = id;
        sel[0].d = v->dist(x, view_row(v, id), v->dim);
        for (int j = 0; j < n; j++) {
            sel[1 + j].id = list[1 + j];
            sel[1 + j].d = v->dist(x, view_row(v, list[1 + j]), v->dim);
        }
        qsort(sel, (size_t)n + 1, sizeof *sel, cmp_cand);
        int k = select_neighbors(v, sel, n + 1, cap, c->chosen);
        write_list(list, c->chosen, k);
    }
    unlock_node(b, i);
}

static int random_level(const pv_hnsw *h, uint32_t id) {
    /* splitmix64 of (seed, row): levels do not depend on insertion order or threads */
    uint64_t z = h->seed + 0x9E3779B97F4A7C15ull * ((uint64_t)id + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    double u = ((double)(z >> 11) + 1.0) * (1.0 / 9007199254740992.0); /* (0, 1] */
    int level = (int)(-log(u) * h->level_mult);
    return level > HNSW_MAX_LEVEL ? HNSW_MAX_LEVEL : level;
}

static int insert_node(pv_hnsw *h, const hnsw_view *v, hnsw_ctx *c, uint32_t id) {
    const int level = node_level(h, id);
    uint64_t e = __atomic_load_n(&h->entry, __ATOMIC_ACQUIRE);
    int holds_entry = 0;
    if (e == HNSW_NO_ENTRY || (int)(e >> 32) < level) {
        pthread_mutex_lock(&h->entry_mutex);
        holds_entry = 1;
        e = __atomic_load_n(&h->entry, __ATOMIC_ACQUIRE);
        if (e == HNSW_NO_ENTRY) {
            __atomic_store_n(&h->entry, ((uint64_t)level << 32) | id, __ATOMIC_RELEASE);
            pthread_mutex_unlock(&h->entry_mutex);
            return 0;
        }
        if ((int)(e >> 32) >= level) {
            pthread_mutex_unlock(&h->entry_mutex);
            holds_entry = 0;
        }
    }
    const int top_level = (int)(e >> 32);
    uint32_t ep = (uint32_t)e;
    const float *q = view_row(v, id);
    float ep_d = v->dist(q, view_row(v, ep), v->dim);
    int64_t ndist = 0;
    for (int l = top_level; l > level; l--) greedy_descend(h, v, c, q, &ep, &ep_d, l, &ndist);
    hnsw_block *b = hnsw_block_of(h, id);
    uint32_t bi = id & HNSW_BLOCK_MASK;
    int rc = 0;
    const int first_level = level < top_level ? level : top_level;
    /* Phase 1: the new node's own lists on every level, top down. Nothing links to it yet, so no
     * search can reach it half-built. Phase 2 then adds the back links, which make it reachable:
     * a search that steps onto it on any level finds its lists complete on every level below. */
    uint32_t picked[HNSW_MAX_LEVEL + 1][PV_HNSW_MAX_M];
    int picked_n[HNSW_MAX_LEVEL + 1];
    for (int l = first_level; l >= 0; l--) {
        picked_n[l] = 0;
        if (search_level(h, v, c, q, ep, ep_d, l, h->ef_construction, NULL, &ndist) != 0) {
            rc = -1;
            break;
        }
        int64_t n = drain_sorted(c, c->sel);
        int64_t w = 0; /* drop the node itself: a concurrent insert may already link to it */
        for (int64_t j = 0; j < n; j++) if (c->sel[j].id != id) c->sel[w++] = c->sel[j];
        if (w == 0) continue;
        ep = c->sel[0].id;
        ep_d = c->sel[0].d;
        int k = select_neighbors(v, c->sel, w, h->m, c->chosen);
        lock_node(b, bi);
        write_list(list_at(h, b, bi, l), c->chosen, k);
        unlock_node(b, bi);
        /* chosen is reused by link_back: keep a copy (k <= M <= PV_HNSW_MAX_M) */
        memcpy(picked[l], c->chosen, (size_t)k * sizeof(uint32_t));
        picked_n[l] = k;
    }
    if (rc == 0) {
        for (int l = 0; l <= first_level; l++)
            for (int j = 0; j < picked_n[l]; j++) link_back(h, v, c, picked[l][j], id, l);
    }
    if (holds_entry) {
        if (rc == 0) __atomic_store_n(&h->entry, ((uint64_t)level << 32) | id, __ATOMIC_RELEASE);
        pthread_mutex_unlock(&h->entry_mutex);
    }
    return rc;
}

/* ---- add_range ------------------------------------------------------------------------- */

static int view_of(const pv_hnsw *h, const pv_vectors *vectors, hnsw_view *v, char *err, int64_t errcap) {
    if (vectors == NULL || vectors->chunks == NULL) {
        pv_set_err(err, errcap, "vectors (and its chunk table) must not be NULL");
        return PV_EINVAL;
    }
    if (vectors->dim != h->dim) {
        pv_set_err(err, errcap, "vectors have dim %d, the index has dim %d", vectors->dim, h->dim);
        return PV_EINVAL;
    }
    if (vectors->elem_type != PV_ELEM_F32) {
        pv_set_err(err, errcap, "the graph supports f32 vectors only (elem_type %d)", vectors->elem_type);
        return PV_EUNSUPPORTED;
    }
    if (vectors->rows_per_chunk_log2 < 0 || vectors->rows_per_chunk_log2 > 40 || vectors->count < 0) {
        pv_set_err(err, errcap, "bad vectors: rows_per_chunk_log2 %lld, count %lld",
                   (long long)vectors->rows_per_chunk_log2, (long long)vectors->count);
        return PV_EINVAL;
    }
    v->chunks = (const char *const *)vectors->chunks;
    v->shift = (int)vectors->rows_per_chunk_log2;
    v->mask = (1ull << v->shift) - 1;
    v->row_bytes = (size_t)h->dim * sizeof(float);
    v->dist = graph_distance_pick(h->metric); /* the level in use now: pv_isa_force applies to walks too */
    v->dim = h->dim;
    v->count = vectors->count > PV_HNSW_MAX_ROWS ? (uint32_t)PV_HNSW_MAX_ROWS : (uint32_t)vectors->count;
    return PV_OK;
}

typedef struct {
    pv_hnsw *h;
    const hnsw_view *v;
    int64_t next, end; /* next row to insert (atomic) */
    int skip_deleted;
    int failed;        /* atomic */
} add_job;

static void *add_worker(void *arg) {
    add_job *job = arg;
    hnsw_ctx *c = ctx_acquire(job->h, job->v->count);
    if (c == NULL) {
        __atomic_store_n(&job->failed, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    for (;;) {
        if (__atomic_load_n(&job->failed, __ATOMIC_RELAXED)) break;
        int64_t r = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED);
        if (r >= job->end) break;
        if (job->skip_deleted && node_deleted(job->h, (uint32_t)r)) continue;
        if (insert_node(job->h, job->v, c, (uint32_t)r) != 0) __atomic_store_n(&job->failed, 1, __ATOMIC_RELAXED);
    }
    ctx_release(job->h, c);
    return NULL;
}

/* Inserts rows [first, first+n) (add_mutex held). skip_deleted: rows already tombstoned stay unlinked. */
static int32_t add_rows(pv_hnsw *h, const hnsw_view *v, int64_t first, int64_t n, int32_t n_threads, int skip_deleted,
                        char *err, int64_t errcap) {
    if (hnsw_ensure_blocks(h, first + n) != 0) {
        pv_set_err(err, errcap, "out of memory growing the graph to %lld rows", (long long)(first + n));
        return PV_ENOMEM;
    }
    for (int64_t r = first; r < first + n; r++) {
        uint32_t id = (uint32_t)r;
        hnsw_block *b = h->blocks[id >> HNSW_BLOCK_LOG2];
        uint32_t i = id & HNSW_BLOCK_MASK;
        int level = (skip_deleted && b->deleted[i]) ? 0 : random_level(h, id);
        b->level[i] = (uint8_t)level;
        b->links0[(size_t)i * (size_t)h->stride0] = 0;
        if (level > 0 && hnsw_alloc_upper(h, id, level) != 0) {
            pv_set_err(err, errcap, "out of memory allocating links of row %lld", (long long)r);
            return PV_ENOMEM;
        }
    }
    add_job job = {h, v, first, first + n, skip_deleted, 0};
    if (n_threads > n) n_threads = n < 1 ? 1 : (int32_t)n;
    pthread_t threads[256];
    int started = 0;
    for (int t = 1; t < n_threads; t++) {
        if (pthread_create(&threads[started], NULL, add_worker, &job) != 0) break; /* fewer threads still work */
        started++;
    }
    add_worker(&job);
    for (int t = 0; t < started; t++) pthread_join(threads[t], NULL);
    if (job.failed) {
        pv_set_err(err, errcap, "out of memory while inserting rows");
        return PV_ENOMEM;
    }
    __atomic_store_n(&h->count, first + n, __ATOMIC_RELEASE);
    return PV_OK;
}

int32_t pv_hnsw_add_range(pv_hnsw *h, const pv_vectors *vectors, int64_t first_row, int64_t n, int32_t n_threads,
                          char *err, int64_t errcap) {
    if (h == NULL) {
        pv_set_err(err, errcap, "index is NULL");
        return PV_EINVAL;
    }
    hnsw_view v;
    int32_t rc = view_of(h, vectors, &v, err, errcap);
    if (rc != PV_OK) return rc;
    if (n_threads < 1 || n_threads > 256) {
        pv_set_err(err, errcap, "n_threads must be in 1..256, got %d", n_threads);
        return PV_EINVAL;
    }
    pthread_mutex_lock(&h->add_mutex);
    int64_t count = h->count;
    if (first_row != count || n < 0 || n > vectors->count - first_row || first_row + n > PV_HNSW_MAX_ROWS) {
        pthread_mutex_unlock(&h->add_mutex);
        pv_set_err(err, errcap,
                   "add_range(first_row %lld, n %lld): rows are appended in order, first_row must be %lld and "
                   "first_row + n at most %lld (rows in vectors)",
                   (long long)first_row, (long long)n, (long long)count, (long long)vectors->count);
        return PV_EINVAL;
    }
    rc = n == 0 ? PV_OK : add_rows(h, &v, first_row, n, n_threads, 0, err, errcap);
    pthread_mutex_unlock(&h->add_mutex);
    return rc;
}

/* ---- public search --------------------------------------------------------------------- */

int32_t pv_hnsw_search(const pv_hnsw *h, const pv_vectors *vectors, const float *query, int32_t k, int32_t ef_search,
                       const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found,
                       int64_t *out_n_distance_computations, char *err, int64_t errcap) {
    if (h == NULL || query == NULL || out_rows == NULL || out_scores == NULL || out_n_found == NULL) {
        pv_set_err(err, errcap, "index, query, out_rows, out_scores and out_n_found must not be NULL");
        return PV_EINVAL;
    }
    if (k < 1 || ef_search < 1) {
        pv_set_err(err, errcap, "k and ef_search must be >= 1 (k %d, ef_search %d)", k, ef_search);
        return PV_EINVAL;
    }
    hnsw_view v;
    int32_t rc = view_of(h, vectors, &v, err, errcap);
    if (rc != PV_OK) return rc;
    return hnsw_search_view(h, &v, query, k, ef_search, allow, out_rows, out_scores, out_n_found,
                            out_n_distance_computations, err, errcap);
}

/* The search proper over any view (f32 rows here, code rows in quant_hnsw.c); arguments checked. */
int32_t hnsw_search_view(const pv_hnsw *h, const hnsw_view *vp, const float *query, int32_t k, int32_t ef_search,
                         const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found,
                         int64_t *out_n_distance_computations, char *err, int64_t errcap) {
    const hnsw_view v = *vp;
    *out_n_found = 0;
    if (out_n_distance_computations != NULL) *out_n_distance_computations = 0;
    uint64_t e = __atomic_load_n(&h->entry, __ATOMIC_ACQUIRE);
    if (e == HNSW_NO_ENTRY) return PV_OK;
    uint32_t ep = (uint32_t)e;
    int top_level = (int)(e >> 32);
    hnsw_ctx *c = ctx_acquire(h, v.count);
    if (c == NULL) {
        pv_set_err(err, errcap, "out of memory for search scratch");
        return PV_ENOMEM;
    }
    if (ep >= v.count) {
        /* The entry point is a row this view cannot see (added after the view was taken): start
         * from the first visible linked row instead. Rare; costs only speed. */
        uint32_t r = 0;
        while (r < v.count && read_links(h, r, 0, c->nbr) == 0) r++;
        if (r >= v.count) {
            ctx_release(h, c);
            return PV_OK;
        }
        ep = r;
        top_level = node_level(h, r);
    }
    int64_t ndist = 1;
    float ep_d = v.dist(query, view_row(&v, ep), v.dim);
    for (int l = top_level; l > 0; l--) greedy_descend(h, &v, c, query, &ep, &ep_d, l, &ndist);
    hnsw_filter f = {allow, __atomic_load_n(&h->n_deleted, __ATOMIC_RELAXED) > 0};
    int64_t ef = ef_search > k ? ef_search : k;
    if (search_level(h, &v, c, query, ep, ep_d, 0, ef, (allow || f.check_deleted) ? &f : NULL, &ndist) != 0) {
        ctx_release(h, c);
        pv_set_err(err, errcap, "out of memory during search");
        return PV_ENOMEM;
    }
    while (c->top_n > k) maxheap_pop(c->top, &c->top_n);
    int32_t n = (int32_t)c->top_n;
    for (int32_t i = n - 1; i >= 0; i--) {
        hnsw_cand x = maxheap_pop(c->top, &c->top_n);
        out_rows[i] = x.id;
        out_scores[i] = h->metric == PV_METRIC_L2 ? x.d : -x.d;
    }
    ctx_release(h, c);
    *out_n_found = n;
    if (out_n_distance_computations != NULL) *out_n_distance_computations = ndist;
    return PV_OK;
}

/* ---- filter-aware search (ACORN-1 style) ------------------------------------------------ */
/* Only rows that pass the filter (allow bit set, not tombstoned) are scored and enter the beam.
 * A neighbor that fails it is not scored but crossed: its own neighbors that pass are taken
 * instead (two hops), so a selective filter does not cut the walk off from the matching rows.
 * Each expansion keeps at most m0 passing candidates (direct neighbors first), as ACORN-1
 * truncates its compressed lists. */

static int search_level0_filtered(const pv_hnsw *h, const hnsw_view *v, hnsw_ctx *c, const float *q, uint32_t ep,
                                  float ep_d, int64_t ef, const hnsw_filter *f, uint32_t *hop, uint32_t *pick,
                                  int64_t *ndist) {
    ctx_new_epoch(c);
    uint16_t *vis = c->visited;
    const uint16_t epoch = c->epoch;
    const int32_t dim = v->dim;
    const graph_distance_fn dist = v->dist;
    const int cap = h->m0;
    c->cand_n = 0;
    c->top_n = 0;
    vis[ep] = epoch;
    hnsw_cand first = {ep_d, ep};
    if (minheap_push(&c->cand, &c->cand_n, &c->cand_cap, first) != 0) return -1;
    if (accepted(h, f, ep) && maxheap_push(&c->top, &c->top_n, &c->top_cap, first) != 0) return -1;
    float bound = c->top_n > 0 ? c->top[0].d : INFINITY;
    int64_t computed = 0;
    while (c->cand_n > 0) {
        hnsw_cand cur = c->cand[0];
        if (c->top_n >= ef && cur.d > bound) break;
        minheap_pop(c->cand, &c->cand_n);
        int n = read_links(h, cur.id, 0, c->nbr);
        int picked = 0;
        /* direct neighbors that pass */
        for (int j = 0; j < n && picked < cap; j++) {
            uint32_t id = c->nbr[j];
            if (id >= v->count || vis[id] == epoch || !accepted(h, f, id)) continue;
            vis[id] = epoch;
            pick[picked++] = id;
        }
        /* through the ones that fail, to their passing neighbors */
        for (int j = 0; j < n && picked < cap; j++) {
            uint32_t id = c->nbr[j];
            if (id >= v->count || vis[id] == epoch) continue;
            vis[id] = epoch; /* failing: crossed once, never scored */
            int n2 = read_links(h, id, 0, hop);
            for (int t = 0; t < n2 && picked < cap; t++) {
                uint32_t id2 = hop[t];
                if (id2 >= v->count || vis[id2] == epoch || !accepted(h, f, id2)) continue;
                vis[id2] = epoch;
                pick[picked++] = id2;
            }
        }
        for (int j = 0; j < picked; j++) prefetch_row(v, pick[j]);
        for (int j = 0; j < picked; j++) {
            uint32_t id = pick[j];
            float d = dist(q, view_row(v, id), dim);
            computed++;
            if (c->top_n < ef || d < bound) {
                hnsw_cand x = {d, id};
                if (minheap_push(&c->cand, &c->cand_n, &c->cand_cap, x) != 0) return -1;
                if (maxheap_push(&c->top, &c->top_n, &c->top_cap, x) != 0) return -1;
                if (c->top_n > ef) maxheap_pop(c->top, &c->top_n);
                bound = c->top[0].d;
            }
        }
    }
    *ndist += computed;
    return 0;
}

int32_t pv_hnsw_search_filtered(const pv_hnsw *h, const pv_vectors *vectors, const float *query, int32_t k,
                                int32_t ef_search, const uint64_t *allow, int64_t *out_rows, float *out_scores,
                                int32_t *out_n_found, int64_t *out_n_distance_computations, char *err,
                                int64_t errcap) {
    if (h == NULL || query == NULL || allow == NULL || out_rows == NULL || out_scores == NULL || out_n_found == NULL) {
        pv_set_err(err, errcap, "index, query, allow, out_rows, out_scores and out_n_found must not be NULL");
        return PV_EINVAL;
    }
    if (k < 1 || ef_search < 1) {
        pv_set_err(err, errcap, "k and ef_search must be >= 1 (k %d, ef_search %d)", k, ef_search);
        return PV_EINVAL;
    }
    hnsw_view v;
    int32_t rc = view_of(h, vectors, &v, err, errcap);
    if (rc != PV_OK) return rc;
    *out_n_found = 0;
    if (out_n_distance_computations != NULL) *out_n_distance_computations = 0;
    uint64_t e = __atomic_load_n(&h->entry, __ATOMIC_ACQUIRE);
    if (e == HNSW_NO_ENTRY) return PV_OK;
    uint32_t ep = (uint32_t)e;
    int top_level = (int)(e >> 32);
    hnsw_ctx *c = ctx_acquire(h, v.count);
    uint32_t *hop = malloc((size_t)h->stride0 * sizeof *hop);
    uint32_t *pick = malloc((size_t)h->m0 * sizeof *pick);
    if (c == NULL || hop == NULL || pick == NULL) {
        if (c != NULL) ctx_release(h, c);
        free(hop);
        free(pick);
        pv_set_err(err, errcap, "out of memory for search scratch");
        return PV_ENOMEM;
    }
    if (ep >= v.count) { /* as in pv_hnsw_search: start from a visible linked row */
        uint32_t r = 0;
        while (r < v.count && read_links(h, r, 0, c->nbr) == 0) r++;
        if (r >= v.count) {
            ctx_release(h, c);
            free(hop);
            free(pick);
            return PV_OK;
        }
        ep = r;
        top_level = node_level(h, r);
    }
    int64_t ndist = 1;
    float ep_d = v.dist(query, view_row(&v, ep), v.dim);
    /* upper levels unfiltered: they only pick where level 0 starts */
    for (int l = top_level; l > 0; l--) greedy_descend(h, &v, c, query, &ep, &ep_d, l, &ndist);
    hnsw_filter f = {allow, __atomic_load_n(&h->n_deleted, __ATOMIC_RELAXED) > 0};
    int64_t ef = ef_search > k ? ef_search : k;
    if (search_level0_filtered(h, &v, c, query, ep, ep_d, ef, &f, hop, pick, &ndist) != 0) {
        ctx_release(h, c);
        free(hop);
        free(pick);
        pv_set_err(err, errcap, "out of memory during search");
        return PV_ENOMEM;
    }
    free(hop);
    free(pick);
    while (c->top_n > k) maxheap_pop(c->top, &c->top_n);
    int32_t n = (int32_t)c->top_n;
    for (int32_t i = n - 1; i >= 0; i--) {
        hnsw_cand x = maxheap_pop(c->top, &c->top_n);
        out_rows[i] = x.id;
        out_scores[i] = h->metric == PV_METRIC_L2 ? x.d : -x.d;
    }
    ctx_release(h, c);
    *out_n_found = n;
    if (out_n_distance_computations != NULL) *out_n_distance_computations = ndist;
    return PV_OK;
}

/* ---- create, tombstones, rebuild, accessors -------------------------------------------- */

int32_t pv_hnsw_create(int32_t dim, int32_t metric, int32_t m, int32_t ef_construction, uint64_t seed, pv_hnsw **out,
                       char *err, int64_t errcap) {
    if (out == NULL) {
        pv_set_err(err, errcap, "out must not be NULL");
        return PV_EINVAL;
    }
    *out = NULL;
    if (dim < 1 || (metric != PV_METRIC_IP && metric != PV_METRIC_L2) || m < 2 || m > PV_HNSW_MAX_M ||
        ef_construction < 1 || ef_construction > 100000) {
        pv_set_err(err, errcap,
                   "bad HNSW parameters: dim %d (>= 1), metric %d (IP or L2), M %d (2..%d), ef_construction %d "
                   "(1..100000)",
                   dim, metric, m, PV_HNSW_MAX_M, ef_construction);
        return PV_EINVAL;
    }
    *out = hnsw_alloc(dim, metric, m, ef_construction, seed);
    if (*out == NULL) {
        pv_set_err(err, errcap, "out of memory creating the index");
        return PV_ENOMEM;
    }
    return PV_OK;
}

int32_t pv_hnsw_mark_deleted(pv_hnsw *h, int64_t row, char *err, int64_t errcap) {
    if (h == NULL) {
        pv_set_err(err, errcap, "index is NULL");
        return PV_EINVAL;
    }
    int64_t count = __atomic_load_n(&h->count, __ATOMIC_ACQUIRE);
    if (row < 0 || row >= count) {
        pv_set_err(err, errcap, "row %lld is not in the index (count %lld)", (long long)row, (long long)count);
        return PV_EINVAL;
    }
    hnsw_block *b = hnsw_block_of(h, (uint32_t)row);
    if (__atomic_exchange_n(&b->deleted[row & HNSW_BLOCK_MASK], 1, __ATOMIC_RELAXED) == 0)
        __atomic_fetch_add(&h->n_deleted, 1, __ATOMIC_RELAXED);
    return PV_OK;
}

int32_t pv_hnsw_is_deleted(const pv_hnsw *h, int64_t row) {
    if (h == NULL || row < 0 || row >= __atomic_load_n(&h->count, __ATOMIC_ACQUIRE)) return -1;
    return node_deleted(h, (uint32_t)row);
}

int32_t pv_hnsw_rebuild(const pv_hnsw *old, const pv_vectors *vectors, int32_t n_threads, pv_hnsw **out, char *err,
                        int64_t errcap) {
    if (old == NULL || out == NULL) {
        pv_set_err(err, errcap, "index and out must not be NULL");
        return PV_EINVAL;
    }
    *out = NULL;
    hnsw_view v;
    int32_t rc = view_of(old, vectors, &v, err, errcap);
    if (rc != PV_OK) return rc;
    int64_t count = __atomic_load_n(&old->count, __ATOMIC_ACQUIRE);
    if (vectors->count < count) {
        pv_set_err(err, errcap, "vectors hold %lld rows, the index %lld", (long long)vectors->count, (long long)count);
        return PV_EINVAL;
    }
    if (n_threads < 1 || n_threads > 256) {
        pv_set_err(err, errcap, "n_threads must be in 1..256, got %d", n_threads);
        return PV_EINVAL;
    }
    pv_hnsw *h = hnsw_alloc(old->dim, old->metric, old->m, old->ef_construction, old->seed);
    if (h == NULL || hnsw_ensure_blocks(h, count) != 0) {
        pv_hnsw_free(h);
        pv_set_err(err, errcap, "out of memory rebuilding the index");
        return PV_ENOMEM;
    }
    for (int64_t r = 0; r < count; r++) {
        if (node_deleted(old, (uint32_t)r)) {
            h->blocks[r >> HNSW_BLOCK_LOG2]->deleted[r & HNSW_BLOCK_MASK] = 1;
            h->n_deleted++;
        }
    }
    rc = count == 0 ? PV_OK : add_rows(h, &v, 0, count, n_threads, 1, err, errcap);
    if (rc != PV_OK) {
        pv_hnsw_free(h);
        return rc;
    }
    *out = h;
    return PV_OK;
}

int64_t pv_hnsw_count(const pv_hnsw *h) { return h == NULL ? 0 : __atomic_load_n(&h->count, __ATOMIC_ACQUIRE); }
int64_t pv_hnsw_deleted_count(const pv_hnsw *h) {
    return h == NULL ? 0 : __atomic_load_n(&h->n_deleted, __ATOMIC_RELAXED);
}
int32_t pv_hnsw_dim(const pv_hnsw *h) { return h == NULL ? 0 : h->dim; }
int32_t pv_hnsw_metric(const pv_hnsw *h) { return h == NULL ? -1 : h->metric; }
int32_t pv_hnsw_m(const pv_hnsw *h) { return h == NULL ? 0 : h->m; }
int32_t pv_hnsw_ef_construction(const pv_hnsw *h) { return h == NULL ? 0 : h->ef_construction; }

int64_t pv_hnsw_memory_bytes(const pv_hnsw *h) {
    if (h == NULL) return 0;
    int64_t per_block = (int64_t)HNSW_BLOCK_NODES *
                        ((int64_t)h->stride0 * 4 + (int64_t)sizeof(uint32_t *) + 4 + 1 + 1);
    return (int64_t)sizeof *h + HNSW_MAX_BLOCKS * (int64_t)sizeof(hnsw_block *) + h->n_blocks * per_block +
           __atomic_load_n(&h->upper_bytes, __ATOMIC_RELAXED);
}
