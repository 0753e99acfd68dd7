/* The AVX-512 level takes the AVX2 score tile, as it takes the AVX2 one-to-many f32 scans (kernels_avx512.c:
 * measured faster on Zen 4, which splits 512-bit FMAs in two). A 512-bit tile (one zmm per panel, 12+ queries)
 * is not written: no AVX-512 machine was at hand to test and measure it. */
#include "kernels.h"

void f32_score_panels_avx512(int32_t metric, const float *q, int64_t nq, const float *panels, int64_t nr, int64_t dim, float *out,
                           int64_t ldo) {
    f32_score_panels_avx2(metric, q, nq, panels, nr, dim, out, ldo);
}
