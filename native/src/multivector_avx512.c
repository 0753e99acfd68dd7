/* The AVX-512 level's MaxSim kernels: the AVX2 ones (these kernels are FMA-bound on short token sets; a
 * 512-bit variant was not measured to pay here). */
#include "kernels.h"

void maxsim_f32_avx512(const float *q, int64_t nq, const float *x, int64_t nx, int64_t dim, float *qmax) {
    maxsim_f32_avx2(q, nq, x, nx, dim, qmax);
}
void maxsim_f16_avx512(const float *q, int64_t nq, const uint16_t *x, int64_t nx, int64_t dim, float *qmax) {
    maxsim_f16_avx2(q, nq, x, nx, dim, qmax);
}
