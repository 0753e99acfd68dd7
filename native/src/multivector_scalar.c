/* Scalar MaxSim kernels (panavec.def, group multivector): the fallback level. */
#include "kernels.h"
#include "panavec.h"

void maxsim_f32_scalar(const float *q, int64_t nq, const float *x, int64_t nx, int64_t dim, float *qmax) {
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

void maxsim_f16_scalar(const float *q, int64_t nq, const uint16_t *x, int64_t nx, int64_t dim, float *qmax) {
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
