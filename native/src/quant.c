/* Public kernels on codes (panavec_quant.h): sizes, one-to-one, one-to-many and fused top-k, through
 * the active ISA kernel table. */
#include "pv_internal.h"
#include "quant_kernels.h"
#include "topk_heap.h"

int64_t pv_quant_padded_dim(int64_t dim) { return (dim + 31) & ~(int64_t)31; }

int64_t pv_quant_row_bytes(int32_t bits, int64_t dim, int32_t with_header) {
    if (!pv_quant_bits_ok(bits) || dim < 1) return -1;
    return (with_header ? PV_QUANT_HEADER_BYTES : 0) + pv_quant_padded_dim(dim) * bits / 8;
}

float pv_quant_score(int32_t metric, int32_t bits, const float *qt, const void *row, int64_t dim) {
    const int64_t pd = pv_quant_padded_dim(dim);
    const float dot = pv_quant_dot(pv_active_kernels(), bits)(qt, (const uint8_t *)row + PV_QUANT_HEADER_BYTES, pd);
    return pv_quant_finish(metric, qt, (const float *)row, dot, pd);
}

float pv_quant_score2(int32_t metric, int32_t bits, int32_t bits2, const float *qt, const void *row,
                      const void *residual, int64_t dim) {
    const pv_kernel_table *t = pv_active_kernels();
    const int64_t pd = pv_quant_padded_dim(dim);
    const float *h = (const float *)row;
    const float d1 = pv_quant_dot(t, bits)(qt, (const uint8_t *)row + PV_QUANT_HEADER_BYTES, pd);
    const float d2 = pv_quant_dot(t, bits2)(qt, (const uint8_t *)residual, pd);
    const float b2 = h[1] / (float)((1 << bits2) - 1);
    const float ip = qt[pd] + (h[0] - 0.5f * h[1]) * qt[pd + 1] + h[1] * d1 + b2 * d2;
    return metric == PV_METRIC_L2 ? qt[pd + 2] - 2.0f * ip + h[3] : ip;
}

void pv_quant_scores(int32_t metric, int32_t bits, const float *qt, const void *rows, int64_t n, int64_t dim,
                     float *out) {
    const pv_quant_dot_fn dot = pv_quant_dot(pv_active_kernels(), bits);
    const int64_t pd = pv_quant_padded_dim(dim);
    const int64_t rb = pv_quant_row_bytes(bits, dim, 1);
    const char *r = (const char *)rows;
    for (int64_t i = 0; i < n; i++, r += rb) {
        if (i + 2 < n) __builtin_prefetch(r + 2 * rb, 0, 3);
        out[i] = pv_quant_finish(metric, qt, (const float *)r, dot(qt, (const uint8_t *)r + PV_QUANT_HEADER_BYTES, pd), pd);
    }
}

/* ---- fused top-k: the worst-at-root heap of topk_heap.h, as topk.c --------------------- */

int64_t pv_quant_topk(int32_t metric, int32_t bits, const float *qt, const void *rows, int64_t n, int64_t dim,
                      int64_t base_row, const uint64_t *allow, int64_t k, float *hs, int64_t *hr, int64_t size) {
    if (k <= 0 || n <= 0) return size;
    const pv_quant_dot_fn dot = pv_quant_dot(pv_active_kernels(), bits);
    const int higher = metric != PV_METRIC_L2;
    const int64_t pd = pv_quant_padded_dim(dim);
    const int64_t rb = pv_quant_row_bytes(bits, dim, 1);
    const char *r = (const char *)rows;
    for (int64_t i = 0; i < n; i++, r += rb) {
        const int64_t row = base_row + i;
        if (allow != NULL && !((allow[row >> 6] >> (row & 63)) & 1u)) continue;
        if (i + 2 < n) __builtin_prefetch(r + 2 * rb, 0, 3);
        float s = pv_quant_finish(metric, qt, (const float *)r, dot(qt, (const uint8_t *)r + PV_QUANT_HEADER_BYTES, pd), pd);
        size = pv_heap_push(higher, k, hs, hr, size, s, row);
    }
    return size;
}
