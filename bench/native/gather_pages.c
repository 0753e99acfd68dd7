/* What the embedding gather kernel's float32 loop (native/src/emb_loops.inc) costs per row depending on the pages the
 * rows sit in and on what it prefetches: the rows of a real table (an EmbeddingTable's vectors.pvs: 1,536-byte f32
 * rows from byte 8192 on) read (1) through a shared mapping of the file (the page cache's pages, as a table's store
 * maps them), (2) from an anonymous copy in 4 kB pages (MADV_NOHUGEPAGE) and (3) from an anonymous copy 2 MiB-aligned
 * and advised MADV_HUGEPAGE (Residency.HUGE_PAGES); for batches of 64 and 4096 keys, uniform or Zipf(1) as
 * EmbeddingLookupBench draws them. Prefetch variants (far, extra, nt): the kernel's first 4 lines of row i + 2, plus
 * the first line of row i + far (0: none), plus lines 4..4+extra of row i + 1, with non-temporal stores (nt). The first
 * column repeats the second (it runs right after the memory kind changed, so it pays for that). Every run reads keys
 * no other run read; the mean ns per key over the interleaved runs is printed, and the process's AnonHugePages and
 * FilePmdMapped (how much of each was really mapped with 2 MiB pages).
 *
 *   gcc -O3 -mavx2 -mfma -o /tmp/gather_pages bench/native/gather_pages.c
 *   /tmp/gather_pages <table>/vectors.pvs 115659 40
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#define DIM 384
#define RB 1536
#define RING (1 << 21)
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static inline void pf(const uint8_t *p, int from, int lines) { for (int k = from; k < from + lines && k < 24; k++) __builtin_prefetch(p + 64 * k, 0, 3); }

typedef struct { int far, extra, nt; } var_t;
static void gather(const uint8_t *base, const int64_t *rows, int64_t n, float *out, var_t v) {
    const int D = 2;
    for (int64_t i = 0; i < n && i < D; i++) pf(base + rows[i] * RB, 0, 4);
    if (v.far) for (int64_t i = 0; i < n && i < v.far; i++) pf(base + rows[i] * RB, 0, 1);
    for (int64_t i = 0; i < n; i++) {
        if (i + D < n) pf(base + rows[i + D] * RB, 0, 4);
        if (v.extra && i + 1 < n) pf(base + rows[i + 1] * RB, 4, v.extra);
        if (v.far && i + v.far < n) pf(base + rows[i + v.far] * RB, 0, 1);
        const float *x = (const float *)(base + rows[i] * RB);
        float *d = out + i * DIM;
        if (v.nt) for (int j = 0; j < DIM; j += 8) _mm256_stream_ps(d + j, _mm256_loadu_ps(x + j));
        else for (int j = 0; j < DIM; j += 8) _mm256_storeu_ps(d + j, _mm256_loadu_ps(x + j));
    }
    if (v.nt) _mm_sfence();
}
static uint64_t rng = 11;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
static double unit(void) { return (next() >> 11) * (1.0 / 9007199254740992.0); }
int main(int argc, char **argv) {
    int fd = open(argv[1], O_RDONLY); struct stat st; fstat(fd, &st);
    int64_t n = atol(argv[2]); long off = 8192; int reps = argc > 3 ? atoi(argv[3]) : 40;
    const uint8_t *file = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    const uint8_t *fbase = file + off;
    size_t bytes = (size_t)n * RB, al = (bytes + (2 << 20) - 1) & ~((size_t)(2 << 20) - 1);
    uint8_t *raw1 = mmap(NULL, al + (2 << 20), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint8_t *thp = (uint8_t *)(((uintptr_t)raw1 + (2 << 20) - 1) & ~((uintptr_t)(2 << 20) - 1));
    madvise(thp, al, MADV_HUGEPAGE); memcpy(thp, fbase, bytes);
    uint8_t *small = mmap(NULL, al, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise(small, al, MADV_NOHUGEPAGE); memcpy(small, fbase, bytes);
    volatile float sink = 0;
    for (int64_t r = 0; r < n; r++) sink += *(const float *)(fbase + r * RB);
    char cmd[128]; snprintf(cmd, sizeof cmd, "grep -E 'AnonHugePages|FilePmdMapped' /proc/%d/smaps_rollup", getpid()); system(cmd);
    int64_t *uniform = malloc(RING * 8), *zipf = malloc(RING * 8); double *cdf = malloc(n * sizeof(double)), s = 0; int64_t *perm = malloc(n * 8);
    for (int64_t i = 0; i < n; i++) { cdf[i] = s += 1.0 / (i + 1); perm[i] = i; }
    for (int64_t i = n - 1; i > 0; i--) { int64_t j = next() % (i + 1), t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
    for (int i = 0; i < RING; i++) { uniform[i] = next() % n; double u = unit() * s; int64_t lo = 0, hi = n - 1;
        while (lo < hi) { int64_t m = (lo + hi) / 2; if (cdf[m] < u) lo = m + 1; else hi = m; } zipf[i] = perm[lo]; }
    float *out = aligned_alloc(64, 4096 * 4 * DIM); memset(out, 0, 4096 * 4 * DIM);
    const uint8_t *bases[3] = {fbase, small, thp}; const char *bn[3] = {"file", "anon4k", "anonTHP"};
    const var_t vars[] = {{0,0,0},{0,0,0},{4,0,0},{8,0,0},{16,0,0},{4,8,0},{8,8,0},{0,0,1},{8,0,1}}; enum { NV = 9, NB = 3 };
    printf("mean ns/key over %d interleaved runs; columns (far, extra, nt): (0,0,0) repeated, (0,0,0), (4,0,0), (8,0,0), (16,0,0), (4,8,0), (8,8,0), (0,0,1), (8,0,1)\n", reps);
    for (int b = 0; b < 2; b++) for (int z = 0; z < 2; z++) {
        const int batch = b ? 4096 : 64, iters = b ? 4 : 256; const int64_t *ring = z ? zipf : uniform;
        double sum[NB][NV] = {{0}}; int64_t pos = 0;
        for (int rep = 0; rep < reps; rep++) for (int m = 0; m < NB; m++) for (int v = 0; v < NV; v++) {
            if (pos + (int64_t)iters * batch > RING) pos = 0;
            double t = now();
            for (int it = 0; it < iters; it++, pos += batch) { gather(bases[m], ring + pos, batch, out, vars[v]); sink += out[(it * 977) % (batch * DIM)]; }
            sum[m][v] += (now() - t) * 1e9 / ((double)iters * batch);
        }
        for (int m = 0; m < NB; m++) { printf("b%d %s %s:", batch, z ? "zipf" : "unif", bn[m]); for (int v = 0; v < NV; v++) printf(" %6.1f", sum[m][v] / reps); printf("\n"); }
    }
    return sink == 1.5f;
}
