/* Scalar embedding gather kernels (panavec.def, group embedding): the reference the SIMD levels are tested
 * against, through the same loops (emb_loops.inc). */
#include <string.h>

#include "kernels.h"
#include "panavec_embedding.h"

#define PV_LEVEL scalar

static inline float code4(const uint8_t *codes, int64_t i) {
    const int64_t t = i & ~INT64_C(31), j = i & 31;
    const uint8_t byte = codes[t / 2 + (j & 15)];
    return (float)(j < 16 ? byte & 15 : byte >> 4);
}

/* dst = decode(row) (add = 0) or dst += decode(row) (add = 1). */
static inline void row_op(int32_t encoding, int64_t dim, const float *mean, const uint8_t *row, float *dst, int add) {
    switch (encoding) {
    case PV_EMB_F32: {
        const float *x = (const float *)row;
        for (int64_t i = 0; i < dim; i++) dst[i] = (add ? dst[i] : 0.0f) + x[i];
        break;
    }
    case PV_EMB_F16: {
        const uint16_t *x = (const uint16_t *)row;
        for (int64_t i = 0; i < dim; i++) dst[i] = (add ? dst[i] : 0.0f) + pv_half_to_float(x[i]);
        break;
    }
    case PV_EMB_CODES8:
    case PV_EMB_CODES4: {
        float a, b;
        memcpy(&a, row, 4);
        memcpy(&b, row + 4, 4);
        const uint8_t *codes = row + 16;
        for (int64_t i = 0; i < dim; i++) {
            const float c = encoding == PV_EMB_CODES8 ? (float)codes[i] : code4(codes, i);
            const float x = (mean ? mean[i] : 0.0f) + (a + b * c);
            dst[i] = (add ? dst[i] : 0.0f) + x;
        }
        break;
    }
    default: break;
    }
}

static inline void dec_row(int32_t encoding, int64_t dim, const float *mean, const uint8_t *row, float *dst) {
    row_op(encoding, dim, mean, row, dst, 0);
}

static inline void acc_row(int32_t encoding, int64_t dim, const float *mean, const uint8_t *row, float *dst) {
    row_op(encoding, dim, mean, row, dst, 1);
}

static inline void max_into(float *dst, const float *x, int64_t dim) {
    for (int64_t i = 0; i < dim; i++) dst[i] = x[i] > dst[i] ? x[i] : dst[i];
}

static inline void scale_by(float *dst, float s, int64_t dim) {
    for (int64_t i = 0; i < dim; i++) dst[i] *= s;
}

#include "emb_loops.inc"
