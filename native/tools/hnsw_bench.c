/*
 * Manual HNSW measurement on an fvecs data set (not part of the library build or the tests).
 *   gcc -O2 -I../include -o /tmp/hnsw_bench hnsw_bench.c -L../target/dist -lpanavec -lm
 *   LD_LIBRARY_PATH=../target/dist /tmp/hnsw_bench base.fvecs queries.fvecs groundtruth.ivecs [M] [efc] [threads]
 * Prints build time, recall@10 against the ground truth, and single-thread QPS at ef 16..256.
 * With HNSW_BENCH_INDEX=file the graph is loaded from file if it exists, else built and saved there.
 * The metric is inner product (the vectors are expected to be unit length).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "panavec_graph.h"

static void *read_vecs(const char *path, int32_t *dim, int64_t *n) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (fread(dim, 4, 1, f) != 1) exit(1);
    int64_t rec = 4 + 4 * (int64_t)*dim;
    *n = size / rec;
    /* 2 MB aligned + transparent huge pages when HNSW_BENCH_HUGE=1: random row reads miss the TLB */
    size_t bytes = ((size_t)(*n * *dim * 4) + (2u << 20) - 1) & ~(size_t)((2u << 20) - 1);
    char *out = aligned_alloc(2u << 20, bytes);
    if (getenv("HNSW_BENCH_HUGE") && getenv("HNSW_BENCH_HUGE")[0] == '1') madvise(out, bytes, MADV_HUGEPAGE);
    fseek(f, 0, SEEK_SET);
    for (int64_t i = 0; i < *n; i++) {
        int32_t d;
        if (fread(&d, 4, 1, f) != 1 || fread(out + i * *dim * 4, 4, (size_t)*dim, f) != (size_t)*dim) exit(1);
    }
    fclose(f);
    return out;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s base.fvecs queries.fvecs gt.ivecs [M] [efc] [threads]\n", argv[0]); return 2; }
    int m = argc > 4 ? atoi(argv[4]) : 16, efc = argc > 5 ? atoi(argv[5]) : 100, threads = argc > 6 ? atoi(argv[6]) : 2;
    int32_t dim, qdim, gdim;
    int64_t n, nq, ng;
    float *base = read_vecs(argv[1], &dim, &n);
    float *queries = read_vecs(argv[2], &qdim, &nq);
    int32_t *gt = read_vecs(argv[3], &gdim, &ng);
    const void *chunks[1] = {base};
    pv_vectors v = {chunks, 40, n, dim, PV_ELEM_F32};
    char err[256];
    pv_hnsw *h;
    if (pv_hnsw_create(dim, PV_METRIC_IP, m, efc, 42, &h, err, sizeof err)) { fprintf(stderr, "%s\n", err); return 1; }
    const char *saved = getenv("HNSW_BENCH_INDEX");
    FILE *probe = saved ? fopen(saved, "rb") : NULL;
    double t0 = now();
    if (probe) {
        fclose(probe);
        pv_hnsw_free(h);
        if (pv_hnsw_load(saved, dim, PV_METRIC_IP, &h, err, sizeof err)) { fprintf(stderr, "%s\n", err); return 1; }
        printf("loaded %s in %.2f s\n", saved, now() - t0);
    } else {
        if (pv_hnsw_add_range(h, &v, 0, n, threads, err, sizeof err)) { fprintf(stderr, "%s\n", err); return 1; }
        if (saved && pv_hnsw_save(h, saved, err, sizeof err)) { fprintf(stderr, "%s\n", err); return 1; }
    }
    double build = now() - t0;
    printf("n=%lld dim=%d M=%d efc=%d threads=%d build %.2f s, graph memory %.1f MB\n", (long long)n, dim, m, efc, threads,
           build, pv_hnsw_memory_bytes(h) / 1e6);
    int efs[] = {16, 32, 64, 128, 256};
    for (int e = 0; e < 5; e++) {
        int64_t rows[10], hits = 0, ndist = 0, nd;
        float scores[10];
        int32_t found;
        double t = now();
        for (int rep = 0; rep < 2; rep++) {
            for (int64_t qi = 0; qi < nq; qi++) {
                pv_hnsw_search(h, &v, queries + qi * dim, 10, efs[e], NULL, rows, scores, &found, &nd, err, sizeof err);
                if (rep) continue;
                ndist += nd;
                for (int i = 0; i < found; i++)
                    for (int j = 0; j < 10; j++) if (rows[i] == gt[qi * gdim + j]) { hits++; break; }
            }
        }
        double secs = (now() - t) / 2;
        printf("ef=%3d recall@10=%.4f QPS=%.0f dist/query=%.0f\n", efs[e], hits / (10.0 * nq), nq / secs,
               (double)ndist / nq);
    }
    pv_hnsw_free(h);
    free(base);
    free(queries);
    free(gt);
    return 0;
}
