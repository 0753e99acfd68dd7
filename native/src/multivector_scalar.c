/* Scalar multi-vector kernels: the reference the SIMD ones are tested against, and the fallback. */
#include "kernels.h"
#include "multivector_kernels.h"
#include "panavec.h"

static void dots_scalar(const float *x, const float *rows, int64_t m, int64_t dim, float *out) {
    for (int64_t j = 0; j < m; j++) {
        const float *r = rows + j * dim;
        float s = 0.0f;
        for (int64_t i = 0; i < dim; i++) s += x[i] * r[i];
        out[j] = s;
    }
}

static void maxsim_f32_scalar(const float *q, int64_t nq, const float *x, int64_t nx, int64_t dim, float *qmax) {
    for (int64_t i = 0; i < nq; i++) {
        const float *qi = q + i * dim;
        float best = qmax[i];
        for (int64_t j = 0; j < nx; j++) {
            const float *xj = x + j * dim;
            float s = 0.0f;
            for (int64_t t = 0; t < dim; t++) s += qi[t] * xj[t];
            if (s > best) best = s;
        }
        qmax[i] = best;
    }
}

static void maxsim_f16_scalar(const float *q, int64_t nq, const uint16_t *x, int64_t nx, int64_t dim, float *qmax) {
    for (int64_t i = 0; i < nq; i++) {
        const float *qi = q + i * dim;
        float best = qmax[i];
        for (int64_t j = 0; j < nx; j++) {
            const uint16_t *xj = x + j * dim;
            float s = 0.0f;
            for (int64_t t = 0; t < dim; t++) s += qi[t] * pv_half_to_float(xj[t]);
            if (s > best) best = s;
        }
        qmax[i] = best;
    }
}

const pv_multivector_table pv_multivector_scalar = {
    .isa = PV_ISA_SCALAR,
    .dots = dots_scalar,
    .maxsim_f32 = maxsim_f32_scalar,
    .maxsim_f16 = maxsim_f16_scalar,
};
