/* How far ahead, and how much of a row, the embedding gather kernel (native/src/emb_loops.inc) should prefetch: the
 * kernel's float32 loop over the rows of a real table, mapped from a file (4 kB pages from the page cache, as a
 * store's chunks are), for batches of 64 and 4096 keys drawn uniformly or Zipf(1)-skewed as EmbeddingLookupBench
 * draws them, with the first `lines` cache lines of row i + D requested before row i is copied (D = 0: no prefetch).
 * Every setting runs 200 times, interleaved with the others, each time on keys no other measurement read (so no
 * setting finds rows another left in the caches); the minimum ns per key is printed (the run least disturbed on a
 * shared machine).
 *
 * Build and run (any wordnet-minilm base.fvecs: 115,659 rows of 384 floats):
 *   gcc -O3 -mavx2 -mfma -o /tmp/gather_prefetch bench/native/gather_prefetch.c
 *   /tmp/gather_prefetch "$DATA/base.fvecs"
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

#define DIM 384
#define STRIDE (4 + 4 * DIM) /* .fvecs: an int dimension, then the floats */
#define RING (1 << 21)
#define REPS 200

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static inline void prefetch_row(const uint8_t *p, int lines) {
    const uintptr_t first = (uintptr_t)p & ~(uintptr_t)63, last = (uintptr_t)(p + 4 * DIM - 1);
    int k = 0;
    for (uintptr_t line = first; line <= last && k < lines; line += 64, k++) __builtin_prefetch((const void *)line, 0, 3);
}

static void gather(const uint8_t *base, const int64_t *rows, int64_t n, float *out, int ahead, int lines) {
    for (int64_t i = 0; i < n && i < ahead; i++) prefetch_row(base + rows[i] * STRIDE, lines);
    for (int64_t i = 0; i < n; i++) {
        if (ahead > 0 && i + ahead < n) prefetch_row(base + rows[i + ahead] * STRIDE, lines);
        const float *x = (const float *)(base + rows[i] * STRIDE);
        float *d = out + i * DIM;
        for (int j = 0; j < DIM; j += 8) _mm256_storeu_ps(d + j, _mm256_loadu_ps(x + j));
    }
}

static uint64_t rng = 11;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
static double unit(void) { return (next() >> 11) * (1.0 / 9007199254740992.0); }

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: gather_prefetch <base.fvecs>\n"); return 2; }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) { perror(argv[1]); return 1; }
    const int64_t n = st.st_size / STRIDE;
    const uint8_t *file = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (file == MAP_FAILED) { perror("mmap"); return 1; }
    const uint8_t *base = file + 4;
    volatile float sink = 0;
    for (int64_t r = 0; r < n; r++) sink += *(const float *)(base + r * STRIDE); /* every page mapped in, untimed */

    int64_t *uniform = malloc(RING * 8), *zipf = malloc(RING * 8);
    double *cdf = malloc(n * sizeof(double)), s = 0;
    int64_t *perm = malloc(n * 8);
    for (int64_t i = 0; i < n; i++) { cdf[i] = s += 1.0 / (i + 1); perm[i] = i; }
    for (int64_t i = n - 1; i > 0; i--) { int64_t j = next() % (i + 1), t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
    for (int i = 0; i < RING; i++) {
        uniform[i] = next() % n;
        double u = unit() * s;
        int64_t lo = 0, hi = n - 1;
        while (lo < hi) { int64_t m = (lo + hi) / 2; if (cdf[m] < u) lo = m + 1; else hi = m; }
        zipf[i] = perm[lo];
    }
    float *out = aligned_alloc(64, 4096 * 4 * DIM);
    const int aheads[] = {0, 1, 2, 4, 8}, lines[] = {24, 12, 4, 2};
    enum { NA = 5, NL = 4 };
    printf("%lld rows of %d floats from %s; min ns per key over %d interleaved runs\n\n", (long long)n, DIM, argv[1], REPS);
    printf("| batch | keys | lines | D=0 | D=1 | D=2 | D=4 | D=8 |\n|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (int b = 0; b < 2; b++) {
        for (int z = 0; z < 2; z++) {
            const int batch = b ? 4096 : 64, iters = b ? 2 : 100;
            const int64_t *ring = z ? zipf : uniform;
            double best[NL][NA];
            for (int l = 0; l < NL; l++) for (int a = 0; a < NA; a++) best[l][a] = 1e18;
            int64_t pos = 0;
            for (int rep = 0; rep < REPS; rep++) {
                for (int l = 0; l < NL; l++) {
                    for (int a = 0; a < NA; a++) {
                        if (pos + (int64_t)iters * batch > RING) pos = 0; /* fresh keys for every measurement */
                        double t = now();
                        for (int it = 0; it < iters; it++, pos += batch) gather(base, ring + pos, batch, out, aheads[a], lines[l]);
                        double ns = (now() - t) * 1e9 / ((double)iters * batch);
                        if (ns < best[l][a]) best[l][a] = ns;
                        sink += out[0];
                    }
                }
            }
            for (int l = 0; l < NL; l++) {
                printf("| %d | %s | %d |", batch, z ? "zipf" : "uniform", lines[l]);
                for (int a = 0; a < NA; a++) printf(" %.0f |", best[l][a]);
                printf("\n");
            }
        }
    }
    return sink == 12345.0f;
}
