/*
 * panavec.h: SIMD distance kernels and run-time ISA dispatch.
 *
 * Conventions (shared by every panavec header):
 *  - Functions are named pv_<area>_<verb>; all exported symbols start with "pv_".
 *  - Functions that can fail return int32_t status (PV_OK or a PV_E* code) and write
 *    results through out-parameters; a human-readable message goes into err[errcap].
 *  - Kernels cannot fail: they trust their arguments. The Java side validates every
 *    argument (dimensions, bounds, NaN) before the downcall.
 *  - Scores: PV_METRIC_IP is the dot product and PV_METRIC_COSINE the cosine similarity
 *    (higher is better); PV_METRIC_L2 is the squared Euclidean distance (lower is better).
 *    Cosine with a zero-norm operand is 0.
 *  - Element types: f32 vectors are scored against an f32 query; f16 (IEEE binary16)
 *    vectors against an f32 query; i8 vectors against an i8 query (exact integer sums, for any
 *    dimension; IP and L2 are then rounded once to float).
 */
#ifndef PANAVEC_H
#define PANAVEC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PV_BUILDING)
#define PV_API __attribute__((visibility("default")))
#else
#define PV_API
#endif

#define PV_ABI_VERSION 1

/* status codes */
#define PV_OK 0
#define PV_EINVAL 1        /* an argument is out of range */
#define PV_EUNSUPPORTED 2  /* the CPU or build does not support what was asked */
#define PV_ENATIVE 3       /* an exception inside a native dependency (FAISS, C++ runtime) */
#define PV_ENOMEM 4        /* allocation failed */
#define PV_EIO 5           /* a file could not be read or written */
#define PV_ECORRUPT 6      /* a file is not what it claims to be */

/* metrics */
#define PV_METRIC_IP 0
#define PV_METRIC_L2 1
#define PV_METRIC_COSINE 2

/* element types */
#define PV_ELEM_F32 0
#define PV_ELEM_F16 1
#define PV_ELEM_I8 2

/* instruction-set levels, ordered */
#define PV_ISA_SCALAR 0
#define PV_ISA_AVX2 1   /* AVX2 + FMA + F16C */
#define PV_ISA_AVX512 2 /* AVX-512 F/BW/VL/DQ */

PV_API int32_t pv_abi_version(void);

/* ---- dispatch ------------------------------------------------------------------------- */
/* Best level this CPU supports (and the build contains). */
PV_API int32_t pv_isa_detected(void);
/* Level in use. Chosen once at load: the detected level, or PANAVEC_ISA=scalar|avx2|avx512
 * from the environment if the CPU supports it. */
PV_API int32_t pv_isa_active(void);
/* Switches the level in use; PV_EUNSUPPORTED if the CPU lacks it. Meant for tests and
 * benchmarks: switching while other threads score is safe (each call reads the table once)
 * but those calls may run at either level. */
PV_API int32_t pv_isa_force(int32_t isa);
/* "scalar", "avx2", "avx512" or "unknown". */
PV_API const char *pv_isa_name(int32_t isa);

/* ---- one-to-one ---------------------------------------------------------------------- */
PV_API float pv_f32_score(int32_t metric, const float *q, const float *x, int64_t dim);
PV_API float pv_f16_score(int32_t metric, const float *q, const uint16_t *x, int64_t dim);
PV_API float pv_i8_score(int32_t metric, const int8_t *q, const int8_t *x, int64_t dim);

/* ---- one-to-many: q against n contiguous vectors x[0..n), out[i] = score(q, x_i) ---- */
PV_API void pv_f32_scores(int32_t metric, const float *q, const float *x, int64_t n, int64_t dim, float *out);
PV_API void pv_f16_scores(int32_t metric, const float *q, const uint16_t *x, int64_t n, int64_t dim, float *out);
PV_API void pv_i8_scores(int32_t metric, const int8_t *q, const int8_t *x, int64_t n, int64_t dim, float *out);

/* ---- fused scan keeping the best k ---------------------------------------------------
 * Scores q against n contiguous vectors whose rows are base_row .. base_row+n-1 and merges
 * them into a bounded heap (heap_scores/heap_rows, capacity k, current size heap_size),
 * so one heap can be carried across the chunks of a store. Returns the new heap size.
 * allow: optional bitset over absolute rows (bit r of allow[r>>6] set = row r may be
 * returned); NULL allows every row. Ties keep the lower row. A NaN score is never kept.
 * Caller-provided heap, no allocation; 0 <= heap_size <= k on entry. */
PV_API int64_t pv_f32_topk(int32_t metric, const float *q, const float *x, int64_t n, int64_t dim,
                           int64_t base_row, const uint64_t *allow,
                           int64_t k, float *heap_scores, int64_t *heap_rows, int64_t heap_size);
PV_API int64_t pv_f16_topk(int32_t metric, const float *q, const uint16_t *x, int64_t n, int64_t dim,
                           int64_t base_row, const uint64_t *allow,
                           int64_t k, float *heap_scores, int64_t *heap_rows, int64_t heap_size);
PV_API int64_t pv_i8_topk(int32_t metric, const int8_t *q, const int8_t *x, int64_t n, int64_t dim,
                          int64_t base_row, const uint64_t *allow,
                          int64_t k, float *heap_scores, int64_t *heap_rows, int64_t heap_size);
/* Sorts a heap produced by pv_*_topk best-first (ties by ascending row). */
PV_API void pv_topk_sort(int32_t metric, float *heap_scores, int64_t *heap_rows, int64_t heap_size);

/* ---- conversions and checksums ------------------------------------------------------- */
PV_API void pv_f32_to_f16(const float *src, uint16_t *dst, int64_t n); /* round to nearest even */
PV_API void pv_f16_to_f32(const uint16_t *src, float *dst, int64_t n);
/* CRC-32C (Castagnoli), continuing from crc (0 to start). */
PV_API uint32_t pv_crc32c(uint32_t crc, const void *data, int64_t len);
/* Sum of n floats, streamed: used to measure the machine's read bandwidth. */
PV_API double pv_stream_sum_f32(const float *x, int64_t n);

#ifdef __cplusplus
}
#endif
#endif
