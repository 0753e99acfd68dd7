/* HNSW build: create, parallel insert (add_range), tombstones, rebuild. Inserts walk the graph with
 * hnsw_walk (hnsw_search.c) and link through each node's seqlock (hnsw_internal.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hnsw_internal.h"
#include "pv_internal.h"
#include "topk_heap.h"

static inline void lock_node(hnsw_block *b, uint32_t i) {
    for (;;) {
        uint32_t s = __atomic_load_n(&b->seq[i], __ATOMIC_RELAXED);
        if (!(s & 1u) && __atomic_compare_exchange_n(&b->seq[i], &s, s + 1, 1, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
            return;
        __builtin_ia32_pause();
    }
}

static inline void unlock_node(hnsw_block *b, uint32_t i) { __atomic_fetch_add(&b->seq[i], 1u, __ATOMIC_RELEASE); }

static inline void write_list(uint32_t *dst, const uint32_t *ids, int n) {
    for (int j = 0; j < n; j++) __atomic_store_n(&dst[1 + j], ids[j], __ATOMIC_RELAXED);
    __atomic_store_n(&dst[0], (uint32_t)n, __ATOMIC_RELAXED);
}

/* The neighbor-selection heuristic of the HNSW paper (alg. 4): walking candidates from nearest, keep
 * one only if it is closer to the base than to every one kept, so links spread out. The candidates
 * (distance d[i] to the base, node id[i]) are sorted ascending; returns how many ids went to out. */
static int select_neighbors(const hnsw_view *v, const float *d, const int64_t *id, int64_t n, int max_n, uint32_t *out) {
    if (n <= max_n) {
        for (int64_t i = 0; i < n; i++) out[i] = (uint32_t)id[i];
        return (int)n;
    }
    int k = 0;
    for (int64_t i = 0; i < n && k < max_n; i++) {
        const float *x = hnsw_row(v, (uint32_t)id[i]);
        int keep = 1;
        for (int j = 0; j < k && keep; j++) keep = !(v->dist(x, hnsw_row(v, out[j]), v->dim) < d[i]);
        if (keep) out[k++] = (uint32_t)id[i];
    }
    return k;
}

/* Adds id to the list of node at level; if full, re-selects among old neighbors + id. */
static void link_back(const pv_hnsw *h, const hnsw_view *v, hnsw_ctx *c, uint32_t node, uint32_t id, int level) {
    hnsw_block *b = hnsw_block_of(h, node);
    uint32_t i = node & HNSW_BLOCK_MASK;
    uint32_t *list = hnsw_list_at(h, b, i, level);
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
        const float *x = hnsw_row(v, node);
        hnsw_heap *sel = &c->sel; /* capacity >= m0 + 1 (hnsw_ctx_acquire) */
        sel->n = pv_heap_insert(0, sel->d, sel->id, 0, v->dist(x, hnsw_row(v, id), v->dim), id);
        for (int j = 0; j < n; j++)
            sel->n = pv_heap_insert(0, sel->d, sel->id, sel->n, v->dist(x, hnsw_row(v, list[1 + j]), v->dim), list[1 + j]);
        pv_heap_sort(0, sel->d, sel->id, sel->n);
        int k = select_neighbors(v, sel->d, sel->id, sel->n, cap, c->chosen);
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
    static const hnsw_accept all = {HNSW_ACCEPT_ALL, NULL, 0};
    const int level = hnsw_node_level(h, id);
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
    const float *q = hnsw_row(v, id);
    float ep_d = v->dist(q, hnsw_row(v, ep), v->dim);
    int64_t ndist = 0;
    for (int l = top_level; l > level; l--) hnsw_greedy_descend(h, v, c, q, &ep, &ep_d, l, &ndist);
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
        if (hnsw_walk(h, v, c, q, ep, ep_d, l, h->ef_construction, 0, &all, &ndist) != 0) {
            rc = -1;
            break;
        }
        hnsw_heap *top = &c->top;
        pv_heap_sort(0, top->d, top->id, top->n); /* nearest first */
        int64_t w = 0; /* drop the node itself: a concurrent insert may already link to it */
        for (int64_t j = 0; j < top->n; j++) {
            if (top->id[j] == id) continue;
            top->d[w] = top->d[j];
            top->id[w++] = top->id[j];
        }
        if (w == 0) continue;
        ep = (uint32_t)top->id[0];
        ep_d = top->d[0];
        int k = select_neighbors(v, top->d, top->id, w, h->m, c->chosen);
        lock_node(b, bi);
        write_list(hnsw_list_at(h, b, bi, l), c->chosen, k);
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

typedef struct {
    pv_hnsw *h;
    const hnsw_view *v;
    int64_t next, end; /* next row to insert (atomic) */
    int skip_deleted;
    int failed;        /* atomic */
} add_job;

static void *add_worker(void *arg) {
    add_job *job = arg;
    hnsw_ctx *c = hnsw_ctx_acquire(job->h, job->v->count);
    if (c == NULL) {
        __atomic_store_n(&job->failed, 1, __ATOMIC_RELAXED);
        return NULL;
    }
    for (;;) {
        if (__atomic_load_n(&job->failed, __ATOMIC_RELAXED)) break;
        int64_t r = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED);
        if (r >= job->end) break;
        if (job->skip_deleted && hnsw_node_deleted(job->h, (uint32_t)r)) continue;
        if (insert_node(job->h, job->v, c, (uint32_t)r) != 0) __atomic_store_n(&job->failed, 1, __ATOMIC_RELAXED);
    }
    hnsw_ctx_release(job->h, c);
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

/* The checks add_range and rebuild share: an index, rows it can take, 1..256 threads. */
static int32_t check_add(const pv_hnsw *h, const pv_vectors *vectors, int32_t n_threads, hnsw_view *v, char *err,
                         int64_t errcap) {
    if (h == NULL) {
        pv_set_err(err, errcap, "index is NULL");
        return PV_EINVAL;
    }
    int32_t rc = hnsw_view_of(h, vectors, v, err, errcap);
    if (rc == PV_OK && (n_threads < 1 || n_threads > 256)) {
        pv_set_err(err, errcap, "n_threads must be in 1..256, got %d", n_threads);
        rc = PV_EINVAL;
    }
    return rc;
}

int32_t pv_hnsw_add_range(pv_hnsw *h, const pv_vectors *vectors, int64_t first_row, int64_t n, int32_t n_threads,
                          char *err, int64_t errcap) {
    hnsw_view v;
    int32_t rc = check_add(h, vectors, n_threads, &v, err, errcap);
    if (rc != PV_OK) return rc;
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

/* ---- create, tombstones, rebuild -------------------------------------------------------- */

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

int32_t pv_hnsw_rebuild(const pv_hnsw *old, const pv_vectors *vectors, int32_t n_threads, pv_hnsw **out, char *err,
                        int64_t errcap) {
    if (out == NULL) {
        pv_set_err(err, errcap, "out must not be NULL");
        return PV_EINVAL;
    }
    *out = NULL;
    hnsw_view v;
    int32_t rc = check_add(old, vectors, n_threads, &v, err, errcap);
    if (rc != PV_OK) return rc;
    int64_t count = __atomic_load_n(&old->count, __ATOMIC_ACQUIRE);
    if (vectors->count < count) {
        pv_set_err(err, errcap, "vectors hold %lld rows, the index %lld", (long long)vectors->count, (long long)count);
        return PV_EINVAL;
    }
    pv_hnsw *h = hnsw_alloc(old->dim, old->metric, old->m, old->ef_construction, old->seed);
    if (h == NULL || hnsw_ensure_blocks(h, count) != 0) {
        pv_hnsw_free(h);
        pv_set_err(err, errcap, "out of memory rebuilding the index");
        return PV_ENOMEM;
    }
    for (int64_t r = 0; r < count; r++) {
        if (hnsw_node_deleted(old, (uint32_t)r)) {
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
