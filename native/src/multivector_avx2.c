/* AVX2 + FMA + F16C MaxSim kernels (panavec.def, group multivector). MaxSim blocks 4 query tokens x 2 document tokens (eight
 * 8-wide accumulators, each loaded vector used four or two times), so a document token is read once
 * per four query tokens; f16 document tokens are widened in registers (vcvtph2ps), never to a
 * float copy. Dimensions that are not a multiple of 8 finish with a scalar tail. */
#include <immintrin.h>

#include "kernels.h"
#include "panavec.h"

#define AI static inline __attribute__((always_inline))

AI float hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* Eight elements of document row x (f32, or f16 when h) from element t on, as floats. */
AI __m256 ld8(const void *x, int64_t t, int h) {
    return h ? _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)x + t)))
             : _mm256_loadu_ps((const float *)x + t);
}

AI float elem(const void *x, int64_t t, int h) {
    return h ? pv_half_to_float(((const uint16_t *)x)[t]) : ((const float *)x)[t];
}

AI const void *row(const void *x, int64_t j, int64_t dim, int h) {
    return h ? (const void *)((const uint16_t *)x + j * dim) : (const void *)((const float *)x + j * dim);
}

AI float fmax1(float a, float b) { return b > a ? b : a; }

/* Scalar tail of <a, b> over elements from..dim. */
AI float tail(const float *a, const void *b, int64_t from, int64_t dim, int h) {
    float s = 0.0f;
    for (int64_t t = from; t < dim; t++) s += a[t] * elem(b, t, h);
    return s;
}

AI void maxsim_body(const float *q, int64_t nq, const void *x, int64_t nx, int64_t dim, float *qmax, int h) {
    const int64_t d8 = dim & ~(int64_t)7;
    int64_t i = 0;
    for (; i + 4 <= nq; i += 4) {
        const float *q0 = q + i * dim, *q1 = q0 + dim, *q2 = q1 + dim, *q3 = q2 + dim;
        float m0 = qmax[i], m1 = qmax[i + 1], m2 = qmax[i + 2], m3 = qmax[i + 3];
        int64_t j = 0;
        for (; j + 2 <= nx; j += 2) {
            const void *xa = row(x, j, dim, h), *xb = row(x, j + 1, dim, h);
            __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int64_t t = 0; t < d8; t += 8) {
                const __m256 va = ld8(xa, t, h), vb = ld8(xb, t, h);
                const __m256 w0 = _mm256_loadu_ps(q0 + t), w1 = _mm256_loadu_ps(q1 + t);
                const __m256 w2 = _mm256_loadu_ps(q2 + t), w3 = _mm256_loadu_ps(q3 + t);
                a0 = _mm256_fmadd_ps(w0, va, a0);
                a1 = _mm256_fmadd_ps(w1, va, a1);
                a2 = _mm256_fmadd_ps(w2, va, a2);
                a3 = _mm256_fmadd_ps(w3, va, a3);
                b0 = _mm256_fmadd_ps(w0, vb, b0);
                b1 = _mm256_fmadd_ps(w1, vb, b1);
                b2 = _mm256_fmadd_ps(w2, vb, b2);
                b3 = _mm256_fmadd_ps(w3, vb, b3);
            }
            m0 = fmax1(m0, fmax1(hsum8(a0) + tail(q0, xa, d8, dim, h), hsum8(b0) + tail(q0, xb, d8, dim, h)));
            m1 = fmax1(m1, fmax1(hsum8(a1) + tail(q1, xa, d8, dim, h), hsum8(b1) + tail(q1, xb, d8, dim, h)));
            m2 = fmax1(m2, fmax1(hsum8(a2) + tail(q2, xa, d8, dim, h), hsum8(b2) + tail(q2, xb, d8, dim, h)));
            m3 = fmax1(m3, fmax1(hsum8(a3) + tail(q3, xa, d8, dim, h), hsum8(b3) + tail(q3, xb, d8, dim, h)));
        }
        if (j < nx) {
            const void *xa = row(x, j, dim, h);
            __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            for (int64_t t = 0; t < d8; t += 8) {
                const __m256 va = ld8(xa, t, h);
                a0 = _mm256_fmadd_ps(_mm256_loadu_ps(q0 + t), va, a0);
                a1 = _mm256_fmadd_ps(_mm256_loadu_ps(q1 + t), va, a1);
                a2 = _mm256_fmadd_ps(_mm256_loadu_ps(q2 + t), va, a2);
                a3 = _mm256_fmadd_ps(_mm256_loadu_ps(q3 + t), va, a3);
            }
            m0 = fmax1(m0, hsum8(a0) + tail(q0, xa, d8, dim, h));
            m1 = fmax1(m1, hsum8(a1) + tail(q1, xa, d8, dim, h));
            m2 = fmax1(m2, hsum8(a2) + tail(q2, xa, d8, dim, h));
            m3 = fmax1(m3, hsum8(a3) + tail(q3, xa, d8, dim, h));
        }
        qmax[i] = m0;
        qmax[i + 1] = m1;
        qmax[i + 2] = m2;
        qmax[i + 3] = m3;
    }
    for (; i < nq; i++) { /* remaining query tokens, one at a time */
        const float *qi = q + i * dim;
        float m = qmax[i];
        for (int64_t j = 0; j < nx; j++) {
            const void *xa = row(x, j, dim, h);
            __m256 a0 = _mm256_setzero_ps(), a1 = a0;
            int64_t t = 0;
            for (; t + 16 <= d8; t += 16) {
                a0 = _mm256_fmadd_ps(_mm256_loadu_ps(qi + t), ld8(xa, t, h), a0);
                a1 = _mm256_fmadd_ps(_mm256_loadu_ps(qi + t + 8), ld8(xa, t + 8, h), a1);
            }
            if (t < d8) a0 = _mm256_fmadd_ps(_mm256_loadu_ps(qi + t), ld8(xa, t, h), a0);
            m = fmax1(m, hsum8(_mm256_add_ps(a0, a1)) + tail(qi, xa, d8, dim, h));
        }
        qmax[i] = m;
    }
}

void maxsim_f32_avx2(const float *q, int64_t nq, const float *x, int64_t nx, int64_t dim, float *qmax) {
    maxsim_body(q, nq, x, nx, dim, qmax, 0);
}

void maxsim_f16_avx2(const float *q, int64_t nq, const uint16_t *x, int64_t nx, int64_t dim, float *qmax) {
    maxsim_body(q, nq, x, nx, dim, qmax, 1);
}
