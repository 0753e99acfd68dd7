/* Public kernels on codes (panavec_quant.h): sizes, one-to-one, one-to-many and fused top-k,
 * dispatched per call on pv_isa_active(). */
#include "pv_internal.h"
#include "quant_kernels.h"

const pv_quant_table *pv_quant_active(void) {
    switch (pv_isa_active()) {
    case PV_ISA_AVX512: return &pv_quant_avx512;
    case PV_ISA_AVX2: return &pv_quant_avx2;
    default: return &pv_quant_scalar;
    }
}

int64_t pv_quant_padded_dim(int64_t dim) { return (dim + 31) & ~(int64_t)31; }

int64_t pv_quant_row_bytes(int32_t bits, int64_t dim, int32_t with_header) {
    if (pv_quant_bits_index(bits) < 0 || dim < 1) return -1;
    return (with_header ? PV_QUANT_HEADER_BYTES : 0) + pv_quant_padded_dim(dim) * bits / 8;
}

float pv_quant_score(int32_t metric, int32_t bits, const float *qt, const void *row, int64_t dim) {
    const int64_t pd = pv_quant_padded_dim(dim);
    const float dot = pv_quant_active()->dot[pv_quant_bits_index(bits)](
        qt, (const uint8_t *)row + PV_QUANT_HEADER_BYTES, pd);
    return pv_quant_finish(metric, qt, (const float *)row, dot, pd);
}

float pv_quant_score2(int32_t metric, int32_t bits, int32_t bits2, const float *qt, const void *row,
                      const void *residual, int64_t dim) {
    const pv_quant_table *t = pv_quant_active();
    const int64_t pd = pv_quant_padded_dim(dim);
    const float *h = (const float *)row;
    const float d1 = t->dot[pv_quant_bits_index(bits)](qt, (const uint8_t *)row + PV_QUANT_HEADER_BYTES, pd);
    const float d2 = t->dot[pv_quant_bits_index(bits2)](qt, (const uint8_t *)residual, pd);
    const float b2 = h[1] / (float)((1 << bits2) - 1);
    const float ip = qt[pd] + (h[0] - 0.5f * h[1]) * qt[pd + 1] + h[1] * d1 + b2 * d2;
    return metric == PV_METRIC_L2 ? qt[pd + 2] - 2.0f * ip + h[3] : ip;
}

void pv_quant_scores(int32_t metric, int32_t bits, const float *qt, const void *rows, int64_t n, int64_t dim,
                     float *out) {
    const pv_quant_dot_fn dot = pv_quant_active()->dot[pv_quant_bits_index(bits)];
    const int64_t pd = pv_quant_padded_dim(dim);
    const int64_t rb = pv_quant_row_bytes(bits, dim, 1);
    const char *r = (const char *)rows;
    for (int64_t i = 0; i < n; i++, r += rb) {
        if (i + 2 < n) __builtin_prefetch(r + 2 * rb, 0, 3);
        out[i] = pv_quant_finish(metric, qt, (const float *)r, dot((const float *)qt, (const uint8_t *)r + PV_QUANT_HEADER_BYTES, pd), pd);
    }
}

/* ---- fused top-k: the same worst-at-root heap contract as topk.c ------------------------ */

static inline int better(int higher, float a, int64_t ra, float b, int64_t rb) {
    if (a == b) return ra < rb;
    return higher ? a > b : a < b;
}

static void sift_down(int higher, float *hs, int64_t *hr, int64_t size, int64_t i) {
    float s = hs[i];
    int64_t r = hr[i];
    for (;;) {
        int64_t c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && better(higher, hs[c], hr[c], hs[c + 1], hr[c + 1])) c++;
        if (!better(higher, s, r, hs[c], hr[c])) break;
        hs[i] = hs[c];
        hr[i] = hr[c];
        i = c;
    }
    hs[i] = s;
    hr[i] = r;
}

static int64_t push(int higher, int64_t k, float *hs, int64_t *hr, int64_t size, float s, int64_t row) {
    if (s != s) return size;
    if (size < k) {
        int64_t i = size;
        while (i > 0) {
            int64_t p = (i - 1) / 2;
            if (!better(higher, hs[p], hr[p], s, row)) break;
            hs[i] = hs[p];
            hr[i] = hr[p];
            i = p;
        }
        hs[i] = s;
        hr[i] = row;
        return size + 1;
    }
    if (better(higher, s, row, hs[0], hr[0])) {
        hs[0] = s;
        hr[0] = row;
        sift_down(higher, hs, hr, size, 0);
    }
    return size;
}

int64_t pv_quant_topk(int32_t metric, int32_t bits, const float *qt, const void *rows, int64_t n, int64_t dim,
                      int64_t base_row, const uint64_t *allow, int64_t k, float *hs, int64_t *hr, int64_t size) {
    if (k <= 0 || n <= 0) return size;
    const pv_quant_dot_fn dot = pv_quant_active()->dot[pv_quant_bits_index(bits)];
    const int higher = metric != PV_METRIC_L2;
    const int64_t pd = pv_quant_padded_dim(dim);
    const int64_t rb = pv_quant_row_bytes(bits, dim, 1);
    const char *r = (const char *)rows;
    for (int64_t i = 0; i < n; i++, r += rb) {
        const int64_t row = base_row + i;
        if (allow != NULL && !((allow[row >> 6] >> (row & 63)) & 1u)) continue;
        if (i + 2 < n) __builtin_prefetch(r + 2 * rb, 0, 3);
        float s = pv_quant_finish(metric, qt, (const float *)r, dot(qt, (const uint8_t *)r + PV_QUANT_HEADER_BYTES, pd), pd);
        size = push(higher, k, hs, hr, size, s, row);
    }
    return size;
}
