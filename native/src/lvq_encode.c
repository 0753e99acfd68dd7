/* Native encoding of LVQ and LeanVec codes (pv_lvq_encode) and LeanVec's query preparation
 * (pv_leanvec_prepare_query, over a float16 copy of the query projection). The encoder's projection is a matrix product through the active level's
 * f32_score_panels (a block of vectors against every projection row), so the row-major projection is packed
 * into panels once per call; one query is a one-to-many f32 scan of the projection rows, with no packing per
 * query. The quantization is a scalar pass per row. Layouts: panavec_quant.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pv_internal.h"
#include "quant_kernels.h"

/* Vectors projected per tile call: their codes-space rows stay in cache while they are quantized. */
#define LVQ_BLOCK 64

static inline int32_t lvq_code(float v, float lo, float step, int32_t levels) {
    if (step == 0.0f) return 0;
    float c = roundf((v - lo) / step); /* half away from zero: Java's Math.round on what the clamp keeps */
    return c < 0.0f ? 0 : c > (float)levels ? levels : (int32_t)c;
}

static void lvq_pack(int32_t bits, const int32_t *c, int64_t dim, uint8_t *dst) {
    const int64_t pd = pv_quant_padded_dim(dim);
    if (bits == 8) {
        for (int64_t i = 0; i < pd; i++) dst[i] = (uint8_t)(i < dim ? c[i] : 0);
    } else if (bits == 4) {
        for (int64_t t = 0; t < pd; t += 32)
            for (int j = 0; j < 16; j++) {
                int32_t lo = t + j < dim ? c[t + j] : 0, hi = t + 16 + j < dim ? c[t + 16 + j] : 0;
                dst[t / 2 + j] = (uint8_t)(lo | hi << 4);
            }
    } else {
        for (int64_t t = 0; t < pd; t += 32) {
            uint32_t w = 0;
            for (int j = 0; j < 32 && t + j < dim; j++) w |= (uint32_t)(c[t + j] & 1) << j;
            memcpy(dst + t / 8, &w, 4); /* little-endian target */
        }
    }
}

/* ||mu + y||^2 (the squared norm of a decoded LVQ row without projection): the decoded coordinates in
 * float, as decoding produces them, summed in double. */
static float shifted_norm2(const float *mu, const float *y, int64_t dim) {
    double s = 0;
    for (int64_t i = 0; i < dim; i++) {
        float v = mu[i] + y[i];
        s += (double)v * v;
    }
    return (float)s;
}

static float norm2(const float *x, int64_t dim) {
    double s = 0;
    for (int64_t i = 0; i < dim; i++) s += (double)x[i] * x[i];
    return (float)s;
}

int32_t pv_lvq_encode(const float *x, int64_t n, int64_t dim, const float *mu, const float *proj, int64_t code_dim,
                      int32_t bits, int32_t bits2, int32_t exact_norm, void *rows, void *residual, char *err,
                      int64_t errcap) {
    if (x == NULL || mu == NULL || rows == NULL || n < 0 || dim < 1 || code_dim < 1 || !pv_quant_bits_ok(bits) ||
        (bits2 != 0 && bits2 != 4 && bits2 != 8) || (bits2 != 0 && residual == NULL) ||
        (proj == NULL && code_dim != dim) || (proj != NULL && !exact_norm)) {
        pv_set_err(err, errcap, "bad LVQ encode arguments: n %lld, dim %lld, code_dim %lld, bits %d, bits2 %d, "
                   "projection %s, exact_norm %d (a projection needs exact norms)", (long long)n, (long long)dim,
                   (long long)code_dim, bits, bits2, proj == NULL ? "none" : "given", exact_norm);
        return PV_EINVAL;
    }
    const pv_kernel_table *t = pv_active_kernels();
    const int64_t rb = pv_quant_row_bytes(bits, code_dim, 1);
    const int64_t xb = bits2 ? pv_quant_row_bytes(bits2, code_dim, 0) : 0;
    const int32_t levels = (1 << bits) - 1, levels2 = bits2 ? (1 << bits2) - 1 : 0;
    const int64_t panel_rows = (code_dim + PV_PANEL - 1) / PV_PANEL * PV_PANEL;
    float *y = malloc(sizeof(float) * (size_t)(LVQ_BLOCK * code_dim + code_dim + code_dim));
    int32_t *c = malloc(sizeof(int32_t) * (size_t)code_dim * 2);
    float *panels = proj != NULL ? malloc(sizeof(float) * (size_t)panel_rows * (size_t)dim) : NULL;
    if (y == NULL || c == NULL || (proj != NULL && panels == NULL)) {
        free(y);
        free(c);
        free(panels);
        pv_set_err(err, errcap, "out of memory for LVQ encode scratch");
        return PV_ENOMEM;
    }
    float *pmu = y + LVQ_BLOCK * code_dim, *yq = pmu + code_dim;
    int32_t *c2 = c + code_dim;
    if (proj != NULL) {
        pv_pack_panels(t, PV_ELEM_F32, proj, code_dim, dim, NULL, panels);
        t->f32_score_panels(PV_METRIC_IP, mu, 1, panels, code_dim, dim, pmu, code_dim); /* P mu */
    }
    for (int64_t b0 = 0; b0 < n; b0 += LVQ_BLOCK) {
        const int64_t nb = n - b0 < LVQ_BLOCK ? n - b0 : LVQ_BLOCK;
        const float *xb0 = x + b0 * dim;
        if (proj != NULL) {
            t->f32_score_panels(PV_METRIC_IP, xb0, nb, panels, code_dim, dim, y, code_dim); /* y_i = P x_i */
            for (int64_t i = 0; i < nb; i++)
                for (int64_t r = 0; r < code_dim; r++) y[i * code_dim + r] -= pmu[r];
        } else {
            for (int64_t i = 0; i < nb; i++)
                for (int64_t r = 0; r < dim; r++) y[i * dim + r] = xb0[i * dim + r] - mu[r];
        }
        for (int64_t i = 0; i < nb; i++) {
            const float *yi = y + i * code_dim, *xi = xb0 + i * dim;
            float lo = INFINITY, hi = -INFINITY;
            for (int64_t r = 0; r < code_dim; r++) {
                lo = yi[r] < lo ? yi[r] : lo;
                hi = yi[r] > hi ? yi[r] : hi;
            }
            float step = (hi - lo) / (float)levels;
            if (!(step > 0.0f) || !isfinite(step)) step = 0.0f;
            for (int64_t r = 0; r < code_dim; r++) {
                c[r] = lvq_code(yi[r], lo, step, levels);
                yq[r] = lo + step * (float)c[r];
            }
            uint8_t *row = (uint8_t *)rows + (b0 + i) * rb;
            float hdr[4] = {lo, step, exact_norm ? norm2(xi, dim) : shifted_norm2(mu, yq, dim), 0.0f};
            lvq_pack(bits, c, code_dim, row + PV_QUANT_HEADER_BYTES);
            if (bits2) {
                const float step2 = step / (float)levels2, base = lo - 0.5f * step;
                for (int64_t r = 0; r < code_dim; r++) {
                    c2[r] = lvq_code(yi[r] - step * (float)c[r], base, step2, levels2);
                    yq[r] = base + step * (float)c[r] + step2 * (float)c2[r];
                }
                hdr[3] = exact_norm ? hdr[2] : shifted_norm2(mu, yq, dim);
                lvq_pack(bits2, c2, code_dim, (uint8_t *)residual + (b0 + i) * xb);
            }
            memcpy(row, hdr, sizeof hdr);
        }
    }
    free(y);
    free(c);
    free(panels);
    return PV_OK;
}

void pv_leanvec_prepare_query(const float *q, int64_t dim, const uint16_t *proj, int64_t code_dim, const float *mu,
                              float *qt) {
    const int64_t pd = pv_quant_padded_dim(code_dim);
    memset(qt, 0, sizeof(float) * (size_t)(pd + PV_QUANT_QUERY_EXTRA));
    /* qt_r = <proj row r, q>; the projection in float16: each query reads the whole matrix (240 KB in float32 at
     * 160 x 384, 8% of a LeanVec search, bound by the cache misses on it), half of it this way */
    pv_active_kernels()->f16_scores(PV_METRIC_IP, q, proj, code_dim, dim, qt);
    double c0 = 0, c1 = 0, qq = 0;
    for (int64_t i = 0; i < dim; i++) {
        c0 += (double)q[i] * mu[i];
        qq += (double)q[i] * q[i];
    }
    for (int64_t r = 0; r < code_dim; r++) c1 += qt[r];
    qt[pd] = (float)c0;
    qt[pd + 1] = (float)c1;
    qt[pd + 2] = (float)qq;
}
