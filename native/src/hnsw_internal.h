/* HNSW index layout shared by hnsw.c (build, search) and hnsw_io.c (save, load). Not ABI. */
#ifndef PV_HNSW_INTERNAL_H
#define PV_HNSW_INTERNAL_H

#include <pthread.h>
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

/* Per-thread search scratch, pooled in the index so searches do not allocate. */
typedef struct { float d; uint32_t id; } hnsw_cand;
typedef struct hnsw_ctx {
    struct hnsw_ctx *next;
    uint16_t *visited; /* visited[id] == epoch: seen in the current search */
    int64_t visited_cap;
    uint16_t epoch;
    hnsw_cand *cand;   /* min-heap of nodes to expand */
    int64_t cand_n, cand_cap;
    hnsw_cand *top;    /* max-heap of the best accepted nodes */
    int64_t top_n, top_cap;
    uint32_t *nbr;     /* copy of one neighbor list */
    hnsw_cand *sel;    /* neighbor selection scratch */
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

static inline hnsw_block *hnsw_block_of(const pv_hnsw *h, uint32_t id) {
    return __atomic_load_n(&h->blocks[id >> HNSW_BLOCK_LOG2], __ATOMIC_ACQUIRE);
}

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

/* Search over a checked view (pv_hnsw_search's contract; the view decides what is scored). */
int32_t hnsw_search_view(const pv_hnsw *h, const hnsw_view *v, const float *query, int32_t k, int32_t ef_search,
                         const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found,
                         int64_t *out_n_distance_computations, char *err, int64_t errcap);

/* Allocates an empty index with these parameters (validated by the caller). */
pv_hnsw *hnsw_alloc(int32_t dim, int32_t metric, int32_t m, int32_t ef_construction, uint64_t seed);
/* Makes sure blocks exist for nodes [0, n_nodes). 0 or -1 when out of memory. */
int hnsw_ensure_blocks(pv_hnsw *h, int64_t n_nodes);
/* Allocates the upper lists of a node of this level (> 0). 0 or -1 when out of memory. */
int hnsw_alloc_upper(pv_hnsw *h, uint32_t id, int level);

#endif
