/* Which cache lines of which rows the embedding gather kernel's float32 loop (native/src/emb_loops.inc) should
 * prefetch, and how wide its copy should be, on the machine it runs on: the rows of a real table (an EmbeddingTable's
 * vectors.pvs: 1,536-byte f32 rows from byte 8192 on) read through a shared mapping of the file advised MADV_HUGEPAGE
 * (as a read-only table maps them since the 2 MiB advice), for batches of 64 and 4096 keys, uniform or Zipf(1) as
 * EmbeddingLookupBench draws them (one ring of keys read on and on, so Zipf's frequent rows stay in the caches as they
 * do in the benchmark). Variants (near, lines, far, rest, wide):
 *   the first `lines` lines of row i + near, the first line of row i + far (0: none), the lines after `lines` of
 *   row i + 1 when rest = 1, and the copy in 64-byte AVX-512 moves when wide = 1 (else 32-byte AVX2 moves).
 * Row 0 (4, 2, 4, 0, 0) is the kernel as it was; every variant runs reps times interleaved with the others; the median
 * ns per key is printed, and the process's FilePmdMapped.
 *
 *   gcc -O3 -mavx2 -mfma -o gather_lines bench/native/gather_lines.c
 *   ./gather_lines <table>/vectors.pvs 115659 31 [small]   (small: from an anonymous copy in 4 kB pages instead)
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
#define LINES 24
#define RING (1 << 21)
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static inline void pf(const uint8_t *p, int from, int to) { for (int k = from; k < to && k < LINES; k++) __builtin_prefetch(p + 64 * k, 0, 3); }

typedef struct { int lines, near, far, rest, wide; } var_t;

__attribute__((target("avx512f"))) static void copy_wide(float *d, const float *x) {
    for (int j = 0; j < DIM; j += 16) _mm512_storeu_ps(d + j, _mm512_loadu_ps(x + j));
}
static void copy_avx2(float *d, const float *x) {
    for (int j = 0; j < DIM; j += 8) _mm256_storeu_ps(d + j, _mm256_loadu_ps(x + j));
}

static void gather(const uint8_t *base, const int64_t *rows, int64_t n, float *out, var_t v) {
    for (int64_t i = 0; i < n && i < v.near; i++) pf(base + rows[i] * RB, 0, v.lines);
    if (v.far) for (int64_t i = v.near; i < n && i < v.far; i++) pf(base + rows[i] * RB, 0, 1);
    if (v.rest && n > 0) pf(base + rows[0] * RB, v.lines, LINES);
    for (int64_t i = 0; i < n; i++) {
        if (v.far && i + v.far < n) pf(base + rows[i + v.far] * RB, 0, 1);
        if (i + v.near < n) pf(base + rows[i + v.near] * RB, 0, v.lines);
        if (v.rest && i + 1 < n) pf(base + rows[i + 1] * RB, v.lines, LINES);
        const float *x = (const float *)(base + rows[i] * RB);
        if (v.wide) copy_wide(out + i * DIM, x); else copy_avx2(out + i * DIM, x);
    }
}
static uint64_t rng = 11;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
static double unit(void) { return (next() >> 11) * (1.0 / 9007199254740992.0); }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: gather_lines <vectors.pvs> <rows> [reps]\n"); return 2; }
    int fd = open(argv[1], O_RDONLY); struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) { perror(argv[1]); return 1; }
    int64_t n = atol(argv[2]); int reps = argc > 3 ? atoi(argv[3]) : 31;
    if (reps > 255) reps = 255;
    const uint8_t *file = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    madvise((void *)file, st.st_size, MADV_HUGEPAGE);
    const uint8_t *base = file + 8192;
    if (argc > 4 && strcmp(argv[4], "small") == 0) { /* the rows in 4 kB pages: an anonymous copy advised MADV_NOHUGEPAGE */
        uint8_t *copy = mmap(NULL, (size_t)n * RB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        madvise(copy, (size_t)n * RB, MADV_NOHUGEPAGE);
        memcpy(copy, base, (size_t)n * RB);
        base = copy;
    }
    volatile float sink = 0;
    for (int64_t r = 0; r < n; r++) sink += *(const float *)(base + r * RB);
    char cmd[128]; snprintf(cmd, sizeof cmd, "grep -E 'FilePmdMapped' /proc/%d/smaps_rollup", getpid()); if (system(cmd) != 0) return 1;
    int64_t *uniform = malloc(RING * 8), *zipf = malloc(RING * 8); double *cdf = malloc(n * sizeof(double)), s = 0; int64_t *perm = malloc(n * 8);
    for (int64_t i = 0; i < n; i++) { cdf[i] = s += 1.0 / (i + 1); perm[i] = i; }
    for (int64_t i = n - 1; i > 0; i--) { int64_t j = next() % (i + 1), t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
    for (int i = 0; i < RING; i++) { uniform[i] = next() % n; double u = unit() * s; int64_t lo = 0, hi = n - 1;
        while (lo < hi) { int64_t m = (lo + hi) / 2; if (cdf[m] < u) lo = m + 1; else hi = m; } zipf[i] = perm[lo]; }
    float *out = aligned_alloc(64, 4096 * 4 * DIM); memset(out, 0, 4096 * 4 * DIM);
    const var_t vars[] = {{4,2,4,0,0},{24,3,6,0,0},{24,5,10,0,0},{24,6,12,0,0},{24,8,16,0,0},{24,5,0,0,0},{24,6,0,0,0},{24,4,10,0,0},{24,5,10,0,0}};
    enum { NV = sizeof vars / sizeof vars[0] };
    printf("median ns/key over %d interleaved runs; variants (lines, near, far, rest, wide):", reps);
    for (int v = 0; v < NV; v++) printf(" (%d,%d,%d,%d,%d)", vars[v].lines, vars[v].near, vars[v].far, vars[v].rest, vars[v].wide);
    printf("\n");
    static double t[NV][256];
    for (int b = 0; b < 2; b++) for (int z = 0; z < 2; z++) {
        const int batch = b ? 4096 : 64, iters = b ? 4 : 256; const int64_t *ring = z ? zipf : uniform;
        int64_t pos = 0;
        for (int rep = 0; rep < reps; rep++) for (int v = 0; v < NV; v++) {
            if (pos + (int64_t)iters * batch > RING) pos = 0;
            double t0 = now();
            for (int it = 0; it < iters; it++, pos += batch) { gather(base, ring + pos, batch, out, vars[v]); sink += out[(it * 977) % (batch * DIM)]; }
            t[v][rep] = (now() - t0) * 1e9 / ((double)iters * batch);
        }
        printf("b%d %s:", batch, z ? "zipf" : "unif");
        for (int v = 0; v < NV; v++) { qsort(t[v], reps, sizeof(double), cmp); printf(" %6.1f", t[v][reps / 2]); }
        printf("\n");
    }
    return sink == 1.5f;
}
