/* The HNSW index's memory layout and the pieces its roles share: graph memory (hnsw_graph.c), build
 * (hnsw_build.c), search (hnsw_search.c, quant_hnsw.c) and file I/O (hnsw_io.c). Not ABI.
 *
 * Concurrency: every node has a seqlock (seq) over its neighbor lists. Writers take it (CAS to odd),
 * change the list, release it (even). Readers copy a list and retry if seq moved, so searches never
 * block and never see a torn list. The entry point and top level are one atomic word. Nodes live in
 * blocks that never move. */
#ifndef PV_HNSW_INTERNAL_H
#define PV_HNSW_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "graph_distance.h"
#include "panavec_graph.h"

/* Nodes live in fixed blocks that never move, so readers never see a reallocated array while a
 * writer grows the graph; the directory of block pointers is allocated once at full size. */
#define HNSW_BLOCK_LOG2 14
#define HNSW_BLOCK_NODES (1u << HNSW_BLOCK_LOG2)
#define HNSW_BLOCK_MASK (HNSW_BLOCK_NODES - 1u)
#define HNSW_MAX_BLOCKS ((PV_HNSW_MAX_ROWS >> HNSW_BLOCK_LOG2) + 1)
#define HNSW_MAX_LEVEL 30
#define HNSW_NO_ENTRY UINT64_MAX

typedef struct {
    uint32_t *links0;  /* per node stride0 words: [n, id_0 .. id_{2M-1}] */
    uint32_t **upper;  /* per node: NULL, or level * stride_up words, level l at (l-1)*stride_up */
    uint32_t *seq;     /* per node seqlock over all its lists: odd while a writer changes them */
    uint8_t *level;
    uint8_t *deleted;
} hnsw_block;

/* A bounded or growing heap of (distance, node) in the parallel arrays of topk_heap.h. */
typedef struct {
    float *d;
    int64_t *id;
    int64_t n, cap;
} hnsw_heap;

/* Per-thread walk scratch, pooled in the index so searches do not allocate. */
typedef struct hnsw_ctx {
    struct hnsw_ctx *next;
    const void *owner; /* the thread that released it last (hnsw_graph.c's ctx_thread_tag) */
    uint16_t *visited; /* visited[id] == epoch: seen in the current walk */
    int64_t visited_cap;
    uint16_t epoch;
    hnsw_heap cand;    /* frontier: nearest at the root (higher = 1 on distances) */
    hnsw_heap top;     /* best accepted nodes: farthest at the root (higher = 0) */
    hnsw_heap keep;    /* a deep walk's best `keep` accepted scored nodes, farthest at the root (hnsw_walk) */
    hnsw_heap sel;     /* neighbor selection scratch */
    uint32_t *nbr;     /* copy of one neighbor list */
    uint32_t *hop;     /* copy of a second one (ACORN's two hops) */
    uint32_t *pick;    /* the nodes one expansion scores */
    uint32_t *chosen;
} hnsw_ctx;

struct pv_hnsw {
    int32_t dim, metric, m, m0, ef_construction;
    int32_t stride0, stride_up; /* words per list: 1 + 2M on level 0, 1 + M above */
    uint64_t seed;
    double level_mult;
    hnsw_block **blocks;   /* HNSW_MAX_BLOCKS entries, published with release stores */
    int64_t n_blocks;      /* allocated blocks (writers only) */
    int64_t count;         /* rows in the index (atomic) */
    int64_t n_deleted;     /* atomic */
    int64_t upper_bytes;   /* atomic, memory accounting */
    uint64_t entry;        /* atomic: (max_level << 32) | entry node, or HNSW_NO_ENTRY */
    pthread_mutex_t add_mutex;   /* serializes add_range */
    pthread_mutex_t entry_mutex; /* held by an insert that raises the top level */
    pthread_mutex_t pool_mutex;
    hnsw_ctx *pool;
};

/* A pv_vectors (or pv_codes) checked and reduced to what row lookup and scoring need. */
typedef struct {
    const char *const *chunks;
    int shift;
    uint64_t mask;
    size_t row_bytes;
    uint32_t count;         /* rows visible: ids >= count are skipped */
    graph_distance_fn dist; /* query vs row, lower is closer: the active level's, picked per call */
    int32_t dim;            /* passed to dist */
} hnsw_view;

/* Which nodes a walk accepts into its results: all, those passing allow and not tombstoned while
 * every node still guides the walk (post-filter), or only passing nodes are scored at all, failing
 * ones crossed to their neighbors (ACORN-1). */
typedef enum { HNSW_ACCEPT_ALL, HNSW_ACCEPT_POST_FILTER, HNSW_ACCEPT_ACORN } hnsw_rule;

typedef struct {
    hnsw_rule rule;
    const uint64_t *allow; /* NULL: all rows */
    int check_deleted;
} hnsw_accept;

/* ---- graph memory (hnsw_graph.c) -------------------------------------------------------- */

/* Allocates an empty index with these parameters (validated by the caller). */
pv_hnsw *hnsw_alloc(int32_t dim, int32_t metric, int32_t m, int32_t ef_construction, uint64_t seed);
/* Makes sure blocks exist for nodes [0, n_nodes). 0 or -1 when out of memory. */
int hnsw_ensure_blocks(pv_hnsw *h, int64_t n_nodes);
/* Allocates the upper lists of a node of this level (> 0). 0 or -1 when out of memory. */
int hnsw_alloc_upper(pv_hnsw *h, uint32_t id, int level);
/* A context whose visited set covers ids < n_ids, or NULL when out of memory; give it back with ctx_release. */
hnsw_ctx *hnsw_ctx_acquire(const pv_hnsw *h, int64_t n_ids);
void hnsw_ctx_release(const pv_hnsw *h, hnsw_ctx *c);
/* Room for at least n entries; 0 or -1 when out of memory. */
int hnsw_heap_reserve(hnsw_heap *heap, int64_t n);
/* Checks a pv_vectors against the index and reduces it to a view scored at the level in use now. */
int32_t hnsw_view_of(const pv_hnsw *h, const pv_vectors *vectors, hnsw_view *v, char *err, int64_t errcap);

/* ---- walks (hnsw_search.c) -------------------------------------------------------------- */

/* Walks level greedily from *ep to a local minimum of the distance to q. */
void hnsw_greedy_descend(const pv_hnsw *h, const hnsw_view *v, hnsw_ctx *c, const float *q, uint32_t *ep, float *ep_d,
                         int level, int64_t *ndist);
/* Beam search on one level from ep: leaves the best ef accepted nodes in c->top and, when keep > ef, the best
 * keep accepted nodes of every one it scored in c->keep (the beam stays ef wide). 0, or -1 when out of memory. */
int hnsw_walk(const pv_hnsw *h, const hnsw_view *v, hnsw_ctx *c, const float *q, uint32_t ep, float ep_d, int level,
              int64_t ef, int64_t keep, const hnsw_accept *a, int64_t *ndist);
/* The whole search over a checked view under a rule (pv_hnsw_search's contract). deep = 0: k > ef_search widens
 * the beam to k; deep = 1: the beam stays ef_search wide and the k results are the best of every node scored. */
int32_t hnsw_search(const pv_hnsw *h, const hnsw_view *v, const float *query, int32_t k, int32_t ef_search,
                    const uint64_t *allow, hnsw_rule rule, int deep, int64_t *out_rows, float *out_scores,
                    int32_t *out_n_found, int64_t *out_n_distance_computations, char *err, int64_t errcap);
/* The argument checks every search entry point shares; PV_OK or PV_EINVAL with a message. */
int32_t hnsw_check_search(const void *index, const void *rows, const float *query, int32_t k, int32_t ef_search,
                          const int64_t *out_rows, const float *out_scores, const int32_t *out_n_found, char *err,
                          int64_t errcap);

/* ---- node access ------------------------------------------------------------------------ */

static inline hnsw_block *hnsw_block_of(const pv_hnsw *h, uint32_t id) {
    return __atomic_load_n(&h->blocks[id >> HNSW_BLOCK_LOG2], __ATOMIC_ACQUIRE);
}

static inline const float *hnsw_row(const hnsw_view *v, uint32_t r) {
    return (const float *)(v->chunks[(uint64_t)r >> v->shift] + (size_t)((uint64_t)r & v->mask) * v->row_bytes);
}

static inline void hnsw_prefetch_row(const hnsw_view *v, uint32_t r) {
    const char *p = (const char *)hnsw_row(v, r);
    __builtin_prefetch(p, 0, 3);
    __builtin_prefetch(p + 64, 0, 3);
}

static inline uint32_t *hnsw_list_at(const pv_hnsw *h, hnsw_block *b, uint32_t i, int level) {
    if (level == 0) return b->links0 + (size_t)i * (size_t)h->stride0;
    uint32_t *u = __atomic_load_n(&b->upper[i], __ATOMIC_ACQUIRE);
    return u + (size_t)(level - 1) * (size_t)h->stride_up;
}

static inline int hnsw_node_level(const pv_hnsw *h, uint32_t id) {
    return __atomic_load_n(&hnsw_block_of(h, id)->level[id & HNSW_BLOCK_MASK], __ATOMIC_RELAXED);
}

static inline int hnsw_node_deleted(const pv_hnsw *h, uint32_t id) {
    return __atomic_load_n(&hnsw_block_of(h, id)->deleted[id & HNSW_BLOCK_MASK], __ATOMIC_RELAXED);
}

/* Starts loading what hnsw_read_links(h, id, 0, ..) reads (the seqlock word and the level-0 list), so a walk
 * can ask for the list of the node it will expand next while it still scores the current one. */
static inline void hnsw_prefetch_links0(const pv_hnsw *h, uint32_t id) {
    hnsw_block *b = hnsw_block_of(h, id);
    uint32_t i = id & HNSW_BLOCK_MASK;
    const char *list = (const char *)(b->links0 + (size_t)i * (size_t)h->stride0);
    __builtin_prefetch(&b->seq[i], 0, 3);
    for (size_t off = 0; off < (size_t)h->stride0 * sizeof(uint32_t); off += 64) __builtin_prefetch(list + off, 0, 3);
}

/* Copies the neighbor list of id at level into out; returns its length. Lock-free for readers. */
static inline int hnsw_read_links(const pv_hnsw *h, uint32_t id, int level, uint32_t *out) {
    hnsw_block *b = hnsw_block_of(h, id);
    uint32_t i = id & HNSW_BLOCK_MASK;
    const uint32_t *src = hnsw_list_at(h, b, i, level);
    uint32_t cap = (uint32_t)(level == 0 ? h->m0 : h->m);
    for (;;) {
        uint32_t s1 = __atomic_load_n(&b->seq[i], __ATOMIC_ACQUIRE);
        if (s1 & 1u) {
            __builtin_ia32_pause();
            continue;
        }
        uint32_t n = __atomic_load_n(&src[0], __ATOMIC_RELAXED);
        if (n > cap) n = cap;
        for (uint32_t j = 0; j < n; j++) out[j] = __atomic_load_n(&src[1 + j], __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&b->seq[i], __ATOMIC_RELAXED) == s1) return (int)n;
    }
}

#endif
