/* Scalar score tile of the blocked multi-query scan: the scalar one-to-one kernel per (query, row). */
#include "kernels.h"

void f32_score_tile_scalar(int32_t metric, const float *q, int64_t nq, const float *x, int64_t nr, int64_t dim, float *out,
                           int64_t ldo) {
    for (int64_t i = 0; i < nq; i++)
        for (int64_t j = 0; j < nr; j++) out[i * ldo + j] = f32_score_scalar(metric, q + i * dim, x + j * dim, dim);
}
