/* HNSW graph memory: the index and its node blocks, the per-thread walk scratch pool, views of the
 * caller's rows, and the read-only accessors. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hnsw_internal.h"
#include "pv_internal.h"

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

static void block_free(hnsw_block *b) {
    free(b->links0);
    free(b->upper);
    free(b->seq);
    free(b->level);
    free(b->deleted);
    free(b);
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
            block_free(b);
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

static void heap_free(hnsw_heap *heap) {
    free(heap->d);
    free(heap->id);
}

static void ctx_free(hnsw_ctx *c) {
    if (c == NULL) return;
    free(c->visited);
    heap_free(&c->cand);
    heap_free(&c->top);
    heap_free(&c->keep);
    heap_free(&c->sel);
    free(c->nbr);
    free(c->hop);
    free(c->pick);
    free(c->chosen);
    free(c);
}

void pv_hnsw_free(pv_hnsw *h) {
    if (h == NULL) return;
    for (int64_t bi = 0; bi < h->n_blocks; bi++) {
        hnsw_block *b = h->blocks[bi];
        for (uint32_t i = 0; i < HNSW_BLOCK_NODES; i++) free(b->upper[i]);
        block_free(b);
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

/* One byte per thread: its address names the thread that last used a context (a hint only). */
static __thread char ctx_thread_tag;

int hnsw_heap_reserve(hnsw_heap *heap, int64_t n) {
    if (heap->cap >= n) return 0;
    int64_t cap = n < 64 ? 64 : n > 2 * heap->cap ? n : 2 * heap->cap;
    float *d = realloc(heap->d, (size_t)cap * sizeof *d);
    if (d == NULL) return -1;
    heap->d = d;
    int64_t *id = realloc(heap->id, (size_t)cap * sizeof *id);
    if (id == NULL) return -1;
    heap->id = id;
    heap->cap = cap;
    return 0;
}

hnsw_ctx *hnsw_ctx_acquire(const pv_hnsw *h_const, int64_t n_ids) {
    pv_hnsw *h = (pv_hnsw *)h_const; /* the pool is internal mutable state */
    pthread_mutex_lock(&h->pool_mutex);
    /* this thread's own context if it is in the pool: its visited marks and heaps are still in this core's
     * cache, where a context last used by another thread would miss on every visited check */
    hnsw_ctx **at = &h->pool;
    while (*at != NULL && (*at)->owner != &ctx_thread_tag) at = &(*at)->next;
    if (*at == NULL) at = &h->pool;
    hnsw_ctx *c = *at;
    if (c != NULL) *at = c->next;
    pthread_mutex_unlock(&h->pool_mutex);
    if (c == NULL) {
        /* whole cache lines: the contexts of two threads never share one */
        const size_t bytes = (sizeof *c + 63) & ~(size_t)63;
        c = aligned_alloc(64, bytes);
        if (c == NULL) return NULL;
        memset(c, 0, bytes);
        int64_t sel_cap = (int64_t)h->ef_construction + h->m0 + 2;
        c->nbr = malloc((size_t)h->stride0 * sizeof *c->nbr);
        c->hop = malloc((size_t)h->stride0 * sizeof *c->hop);
        c->pick = malloc((size_t)h->stride0 * sizeof *c->pick);
        c->chosen = malloc((size_t)sel_cap * sizeof *c->chosen);
        if (!c->nbr || !c->hop || !c->pick || !c->chosen || hnsw_heap_reserve(&c->sel, sel_cap) != 0) {
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

void hnsw_ctx_release(const pv_hnsw *h_const, hnsw_ctx *c) {
    pv_hnsw *h = (pv_hnsw *)h_const;
    c->owner = &ctx_thread_tag;
    pthread_mutex_lock(&h->pool_mutex);
    c->next = h->pool;
    h->pool = c;
    pthread_mutex_unlock(&h->pool_mutex);
}

/* ---- views ------------------------------------------------------------------------------ */

int32_t hnsw_view_of(const pv_hnsw *h, const pv_vectors *vectors, hnsw_view *v, char *err, int64_t errcap) {
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

/* ---- accessors -------------------------------------------------------------------------- */

int32_t pv_hnsw_is_deleted(const pv_hnsw *h, int64_t row) {
    if (h == NULL || row < 0 || row >= __atomic_load_n(&h->count, __ATOMIC_ACQUIRE)) return -1;
    return hnsw_node_deleted(h, (uint32_t)row);
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
