/* The kernel list: one table of function pointers per ISA level, filled by kernels_scalar.c,
 * kernels_avx2.c and kernels_avx512.c, and chosen at load by dispatch.c. Adding a kernel means
 * adding a field here; the compiler then flags every table that lacks it. Not part of the ABI. */
#ifndef PV_KERNELS_H
#define PV_KERNELS_H

#include <stdint.h>

typedef struct pv_kernel_table {
    int32_t isa; /* PV_ISA_* */
    float (*f32_score)(int32_t metric, const float *q, const float *x, int64_t dim);
    float (*f16_score)(int32_t metric, const float *q, const uint16_t *x, int64_t dim);
    float (*i8_score)(int32_t metric, const int8_t *q, const int8_t *x, int64_t dim);
    void (*f32_scores)(int32_t metric, const float *q, const float *x, int64_t n, int64_t dim, float *out);
    void (*f16_scores)(int32_t metric, const float *q, const uint16_t *x, int64_t n, int64_t dim, float *out);
    void (*i8_scores)(int32_t metric, const int8_t *q, const int8_t *x, int64_t n, int64_t dim, float *out);
    void (*f32_to_f16)(const float *src, uint16_t *dst, int64_t n);
    void (*f16_to_f32)(const uint16_t *src, float *dst, int64_t n);
    uint32_t (*crc32c)(uint32_t crc, const void *data, int64_t len);
    double (*stream_sum_f32)(const float *x, int64_t n);
    /* Graph distances, "lower is closer", without a metric switch in the hot loop. */
    float (*f32_neg_dot)(const float *q, const float *x, int64_t dim);
    float (*f32_l2sq)(const float *q, const float *x, int64_t dim);
} pv_kernel_table;

extern const pv_kernel_table pv_kernels_scalar;
extern const pv_kernel_table pv_kernels_avx2;
extern const pv_kernel_table pv_kernels_avx512;

/* The table in use (dispatch.c); callers read it once per call. Never NULL. */
const pv_kernel_table *pv_active_kernels(void);

/* AVX2-level conversions and hardware CRC, reused by the AVX-512 table (kernels_avx2.c). */
void pv_avx2_f32_to_f16(const float *src, uint16_t *dst, int64_t n);
void pv_avx2_f16_to_f32(const uint16_t *src, float *dst, int64_t n);
uint32_t pv_avx2_crc32c(uint32_t crc, const void *data, int64_t len);
/* AVX2 one-to-many f32/f16 scans, also used by the AVX-512 table (see kernels_avx512.c). */
void pv_avx2_f32_scores(int32_t metric, const float *q, const float *x, int64_t n, int64_t dim, float *out);
void pv_avx2_f16_scores(int32_t metric, const float *q, const uint16_t *x, int64_t n, int64_t dim, float *out);

/* Software conversions, shared by the scalar table and the SIMD tables' tails. */
float pv_half_to_float(uint16_t h);
uint16_t pv_float_to_half(float f);

/* Final cosine from dot and squared norms, in double so that neither the product of two large
 * norms overflows nor that of two tiny ones underflows. Zero norm gives 0. */
static inline float pv_cosine_from(double dot, double qq, double xx) {
    if (qq == 0.0 || xx == 0.0) return 0.0f;
    return (float)(dot / __builtin_sqrt(qq * xx));
}

/* i8 SIMD kernels sum exactly in int32 lanes; they are fed blocks of at most this many elements
 * and the block sums are added in int64, so no dimension can overflow a lane. */
#define PV_I8_BLOCK 65536

#endif
