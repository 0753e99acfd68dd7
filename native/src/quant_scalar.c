/* Scalar reference kernels on codes (panavec_quant.h layouts), also the fallback level. */
#include "quant_kernels.h"

float quant_dot_u8_scalar(const float *q, const uint8_t *c, int64_t pd) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int64_t i = 0; i < pd; i += 4) {
        s0 += q[i] * c[i];
        s1 += q[i + 1] * c[i + 1];
        s2 += q[i + 2] * c[i + 2];
        s3 += q[i + 3] * c[i + 3];
    }
    return (s0 + s1) + (s2 + s3);
}

float quant_dot_u4_scalar(const float *q, const uint8_t *c, int64_t pd) {
    float s0 = 0, s1 = 0;
    for (int64_t t = 0; t < pd; t += 32, c += 16) {
        for (int j = 0; j < 16; j++) {
            s0 += q[t + j] * (float)(c[j] & 15);
            s1 += q[t + 16 + j] * (float)(c[j] >> 4);
        }
    }
    return s0 + s1;
}

float quant_dot_u1_scalar(const float *q, const uint8_t *c, int64_t pd) {
    float s = 0;
    for (int64_t t = 0; t < pd; t += 32, c += 4) {
        uint32_t w = (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
        for (int j = 0; j < 32; j++)
            if ((w >> j) & 1u) s += q[t + j];
    }
    return s;
}

int32_t quant_i8_dot_u4_scalar(const int8_t *q, const uint8_t *c, int64_t pd) {
    int32_t s = 0;
    for (int64_t t = 0; t < pd; t += 32, c += 16) {
        for (int j = 0; j < 16; j++) s += (int32_t)q[t + j] * (c[j] & 15) + (int32_t)q[t + 16 + j] * (c[j] >> 4);
    }
    return s;
}

PV_QUANT_GRAPH_FNS(scalar)
