/* Multi-vector kernels (panavec_multivector.h): one table per ISA level, filled by
 * multivector_scalar.c and multivector_avx2.c (the AVX-512 level uses the AVX2 entries: these
 * kernels are FMA-bound on short token sets and 512-bit gave nothing measurable here), chosen per
 * call from pv_isa_active(). Not part of the ABI. */
#ifndef PV_MULTIVECTOR_KERNELS_H
#define PV_MULTIVECTOR_KERNELS_H

#include <stdint.h>

typedef struct {
    int32_t isa;
    /* out[j] = <x, rows_j> for j < m; rows: m * dim row-major. */
    void (*dots)(const float *x, const float *rows, int64_t m, int64_t dim, float *out);
    void (*maxsim_f32)(const float *q, int64_t nq, const float *x, int64_t nx, int64_t dim, float *qmax);
    void (*maxsim_f16)(const float *q, int64_t nq, const uint16_t *x, int64_t nx, int64_t dim, float *qmax);
} pv_multivector_table;

extern const pv_multivector_table pv_multivector_scalar;
extern const pv_multivector_table pv_multivector_avx2;

const pv_multivector_table *pv_multivector_active(void);

#endif
