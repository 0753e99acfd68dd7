/* Baseline x86-64 kernels: the fallback level and the software conversions and CRC table that
 * the SIMD levels reuse for their tails. Several accumulators keep the adds independent. */
#include <string.h>

#include "kernels.h"
#include "panavec.h"

/* ---- half <-> float (IEEE binary16), bit exact, no F16C needed ---------------------------- */

float pv_half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu, bits;
    if (e == 0) {
        if (m == 0) {
            bits = sign;
        } else { /* subnormal: normalise the mantissa */
            uint32_t s = 0;
            while (!(m & 0x400u)) { m <<= 1; s++; }
            bits = sign | ((113u - s) << 23) | ((m & 0x3ffu) << 13);
        }
    } else if (e == 31) {
        bits = sign | 0x7f800000u | (m << 13); /* inf, or NaN keeping its payload */
    } else {
        bits = sign | ((e + 112u) << 23) | (m << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

uint16_t pv_float_to_half(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t ax = x & 0x7fffffffu;
    if (ax >= 0x7f800000u) { /* inf or NaN (quieted, top payload bits kept, like F16C) */
        return (uint16_t)(ax > 0x7f800000u ? sign | 0x7e00u | ((ax >> 13) & 0x3ffu) : sign | 0x7c00u);
    }
    if (ax >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u); /* >= 65520 rounds to inf */
    if (ax < 0x38800000u) {                                    /* below 2^-14: half subnormal */
        if (ax <= 0x33000000u) return (uint16_t)sign;          /* <= 2^-25 rounds (to even) to 0 */
        uint32_t e = ax >> 23, m = (ax & 0x7fffffu) | 0x800000u;
        uint32_t shift = 126u - e; /* 14..24 */
        uint32_t h = m >> shift, rem = m & ((1u << shift) - 1u), half = 1u << (shift - 1u);
        if (rem > half || (rem == half && (h & 1u))) h++;
        return (uint16_t)(sign | h); /* a carry into bit 10 is the correct min normal */
    }
    uint32_t h = (ax - 0x38000000u) >> 13, rem = ax & 0x1fffu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) h++;
    return (uint16_t)(sign | h);
}

void f32_to_f16_scalar(const float *src, uint16_t *dst, int64_t n) {
    for (int64_t i = 0; i < n; i++) dst[i] = pv_float_to_half(src[i]);
}

void f16_to_f32_scalar(const uint16_t *src, float *dst, int64_t n) {
    for (int64_t i = 0; i < n; i++) dst[i] = pv_half_to_float(src[i]);
}

/* ---- f32 ----------------------------------------------------------------------------------- */

static float f32_ip(const float *q, const float *x, int64_t dim) {
    float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    int64_t i = 0;
    for (; i + 4 <= dim; i += 4) {
        a0 += q[i] * x[i];
        a1 += q[i + 1] * x[i + 1];
        a2 += q[i + 2] * x[i + 2];
        a3 += q[i + 3] * x[i + 3];
    }
    for (; i < dim; i++) a0 += q[i] * x[i];
    return (a0 + a1) + (a2 + a3);
}

static float f32_l2(const float *q, const float *x, int64_t dim) {
    float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    int64_t i = 0;
    for (; i + 4 <= dim; i += 4) {
        float d0 = q[i] - x[i], d1 = q[i + 1] - x[i + 1], d2 = q[i + 2] - x[i + 2], d3 = q[i + 3] - x[i + 3];
        a0 += d0 * d0;
        a1 += d1 * d1;
        a2 += d2 * d2;
        a3 += d3 * d3;
    }
    for (; i < dim; i++) { float d = q[i] - x[i]; a0 += d * d; }
    return (a0 + a1) + (a2 + a3);
}

static float f32_cos(const float *q, const float *x, int64_t dim) {
    float d0 = 0, d1 = 0, qq0 = 0, qq1 = 0, xx0 = 0, xx1 = 0;
    int64_t i = 0;
    for (; i + 2 <= dim; i += 2) {
        d0 += q[i] * x[i];
        d1 += q[i + 1] * x[i + 1];
        qq0 += q[i] * q[i];
        qq1 += q[i + 1] * q[i + 1];
        xx0 += x[i] * x[i];
        xx1 += x[i + 1] * x[i + 1];
    }
    for (; i < dim; i++) { d0 += q[i] * x[i]; qq0 += q[i] * q[i]; xx0 += x[i] * x[i]; }
    return pv_cosine_from((double)d0 + d1, (double)qq0 + qq1, (double)xx0 + xx1);
}

float f32_score_scalar(int32_t metric, const float *q, const float *x, int64_t dim) {
    switch (metric) {
    case PV_METRIC_L2: return f32_l2(q, x, dim);
    case PV_METRIC_COSINE: return f32_cos(q, x, dim);
    default: return f32_ip(q, x, dim);
    }
}

void f32_scores_scalar(int32_t metric, const float *q, const float *x, int64_t n, int64_t dim, float *out) {
    if (metric == PV_METRIC_COSINE) {
        double qq = f32_ip(q, q, dim);
        for (int64_t r = 0; r < n; r++) {
            const float *v = x + r * dim;
            out[r] = pv_cosine_from(f32_ip(q, v, dim), qq, f32_ip(v, v, dim));
        }
        return;
    }
    for (int64_t r = 0; r < n; r++) out[r] = f32_score_scalar(metric, q, x + r * dim, dim);
}

/* ---- f16 (converted in software) ----------------------------------------------------------- */

float f16_score_scalar(int32_t metric, const float *q, const uint16_t *x, int64_t dim) {
    float d = 0, qq = 0, xx = 0, l2 = 0;
    for (int64_t i = 0; i < dim; i++) {
        float v = pv_half_to_float(x[i]);
        float t = q[i] - v;
        d += q[i] * v;
        qq += q[i] * q[i];
        xx += v * v;
        l2 += t * t;
    }
    switch (metric) {
    case PV_METRIC_L2: return l2;
    case PV_METRIC_COSINE: return pv_cosine_from(d, qq, xx);
    default: return d;
    }
}

void f16_scores_scalar(int32_t metric, const float *q, const uint16_t *x, int64_t n, int64_t dim, float *out) {
    for (int64_t r = 0; r < n; r++) out[r] = f16_score_scalar(metric, q, x + r * dim, dim);
}

/* ---- i8 (exact, int64) --------------------------------------------------------------------- */

float i8_score_scalar(int32_t metric, const int8_t *q, const int8_t *x, int64_t dim) {
    int64_t d = 0, qq = 0, xx = 0, l2 = 0;
    for (int64_t i = 0; i < dim; i++) {
        int32_t a = q[i], b = x[i], t = a - b;
        d += a * b;
        qq += a * a;
        xx += b * b;
        l2 += t * t;
    }
    switch (metric) {
    case PV_METRIC_L2: return (float)l2;
    case PV_METRIC_COSINE: return pv_cosine_from((double)d, (double)qq, (double)xx);
    default: return (float)d;
    }
}

void i8_scores_scalar(int32_t metric, const int8_t *q, const int8_t *x, int64_t n, int64_t dim, float *out) {
    for (int64_t r = 0; r < n; r++) out[r] = i8_score_scalar(metric, q, x + r * dim, dim);
}

/* ---- CRC-32C, slicing by 8 ----------------------------------------------------------------- */

static uint32_t crc_table[8][256];

__attribute__((constructor)) static void crc_table_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1u)));
        crc_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 8; t++) crc_table[t][i] = (crc_table[t - 1][i] >> 8) ^ crc_table[0][crc_table[t - 1][i] & 0xff];
}

uint32_t crc32c_scalar(uint32_t crc, const void *data, int64_t len) {
    const uint8_t *p = (const uint8_t *)data;
    uint32_t c = ~crc;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= c;
        c = crc_table[7][w & 0xff] ^ crc_table[6][(w >> 8) & 0xff] ^ crc_table[5][(w >> 16) & 0xff] ^
            crc_table[4][(w >> 24) & 0xff] ^ crc_table[3][(w >> 32) & 0xff] ^ crc_table[2][(w >> 40) & 0xff] ^
            crc_table[1][(w >> 48) & 0xff] ^ crc_table[0][w >> 56];
        p += 8;
        len -= 8;
    }
    while (len-- > 0) c = (c >> 8) ^ crc_table[0][(c ^ *p++) & 0xff];
    return ~c;
}

double stream_sum_f32_scalar(const float *x, int64_t n) {
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        a0 += x[i];
        a1 += x[i + 1];
        a2 += x[i + 2];
        a3 += x[i + 3];
    }
    for (; i < n; i++) a0 += x[i];
    return (a0 + a1) + (a2 + a3);
}

float f32_neg_dot_scalar(const float *q, const float *x, int64_t dim) { return -f32_score_scalar(PV_METRIC_IP, q, x, dim); }
float f32_l2sq_scalar(const float *q, const float *x, int64_t dim) { return f32_score_scalar(PV_METRIC_L2, q, x, dim); }
