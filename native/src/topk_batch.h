/* Score tiles of the blocked multi-query scan (topk_batch.c): out[i * ldo + j] = score(q_i, x_j)
 * for nq queries and nr f32 rows, IP (dot) or L2 (squared distance) only; cosine is the driver's
 * dot over norms. One implementation per ISA level, chosen by the active kernel table's level. */
#ifndef PV_TOPK_BATCH_H
#define PV_TOPK_BATCH_H

#include <stdint.h>

typedef void (*pv_score_tile_fn)(int32_t metric, const float *q, int64_t nq, const float *x, int64_t nr, int64_t dim,
                                 float *out, int64_t ldo);

void pv_score_tile_scalar(int32_t metric, const float *q, int64_t nq, const float *x, int64_t nr, int64_t dim,
                          float *out, int64_t ldo);
/* Register-blocked AVX2+FMA tile (topk_batch_avx2.c); the AVX-512 level uses it too, as it does the
 * AVX2 one-to-many scans (see kernels_avx512.c). */
void pv_score_tile_avx2(int32_t metric, const float *q, int64_t nq, const float *x, int64_t nr, int64_t dim,
                        float *out, int64_t ldo);

#endif
