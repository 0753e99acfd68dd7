/* Run-time ISA dispatch: detects the CPU once at load (cpuid + xgetbv, so a CPU whose OS does not
 * save YMM/ZMM state is treated as lacking AVX), honours PANAVEC_ISA, and forwards every public
 * kernel through the active table, read with one atomic load per call. */
#include <cpuid.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "panavec.h"

static _Atomic(const pv_kernel_table *) g_active;
static atomic_int g_detected = -1;

static uint64_t xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static int32_t detect(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return PV_ISA_SCALAR;
    const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1, f16c = (c >> 29) & 1,
              sse42 = (c >> 20) & 1;
    if (!(osxsave && avx && fma && f16c && sse42)) return PV_ISA_SCALAR;
    const uint64_t xcr0 = xgetbv0();
    if ((xcr0 & 0x6) != 0x6) return PV_ISA_SCALAR; /* XMM and YMM state */
    if (__get_cpuid_max(0, NULL) < 7) return PV_ISA_SCALAR;
    __cpuid_count(7, 0, a, b, c, d);
    if (!((b >> 5) & 1)) return PV_ISA_SCALAR; /* AVX2 */
    const int f = (b >> 16) & 1, dq = (b >> 17) & 1, bw = (b >> 30) & 1, vl = (b >> 31) & 1;
    if (f && dq && bw && vl && (xcr0 & 0xe6) == 0xe6) return PV_ISA_AVX512; /* + opmask, ZMM state */
    return PV_ISA_AVX2;
}

static const pv_kernel_table *table_for(int32_t isa) {
    switch (isa) {
    case PV_ISA_AVX512: return &pv_kernels_avx512;
    case PV_ISA_AVX2: return &pv_kernels_avx2;
    default: return &pv_kernels_scalar;
    }
}

static int32_t isa_from_name(const char *s) {
    if (s == NULL) return -1;
    for (int32_t i = PV_ISA_SCALAR; i <= PV_ISA_AVX512; i++)
        if (strcmp(s, pv_isa_name(i)) == 0) return i;
    return -1;
}

/* Idempotent, so a call that races the constructor is harmless. */
static const pv_kernel_table *init(void) {
    int32_t detected = detect();
    atomic_store(&g_detected, detected);
    int32_t want = isa_from_name(getenv("PANAVEC_ISA"));
    int32_t use = (want >= 0 && want <= detected) ? want : detected;
    const pv_kernel_table *t = table_for(use);
    atomic_store(&g_active, t);
    return t;
}

__attribute__((constructor)) static void dispatch_init(void) { init(); }

const pv_kernel_table *pv_active_kernels(void) {
    const pv_kernel_table *t = atomic_load_explicit(&g_active, memory_order_acquire);
    return t != NULL ? t : init();
}

int32_t pv_isa_detected(void) {
    pv_active_kernels();
    return atomic_load(&g_detected);
}

int32_t pv_isa_active(void) { return pv_active_kernels()->isa; }

int32_t pv_isa_force(int32_t isa) {
    if (isa < PV_ISA_SCALAR || isa > PV_ISA_AVX512) return PV_EINVAL;
    if (isa > pv_isa_detected()) return PV_EUNSUPPORTED;
    atomic_store_explicit(&g_active, table_for(isa), memory_order_release);
    return PV_OK;
}

const char *pv_isa_name(int32_t isa) {
    switch (isa) {
    case PV_ISA_SCALAR: return "scalar";
    case PV_ISA_AVX2: return "avx2";
    case PV_ISA_AVX512: return "avx512";
    default: return "unknown";
    }
}

/* ---- public kernels: one table read per call --------------------------------------------- */

float pv_f32_score(int32_t metric, const float *q, const float *x, int64_t dim) {
    return pv_active_kernels()->f32_score(metric, q, x, dim);
}
float pv_f16_score(int32_t metric, const float *q, const uint16_t *x, int64_t dim) {
    return pv_active_kernels()->f16_score(metric, q, x, dim);
}
float pv_i8_score(int32_t metric, const int8_t *q, const int8_t *x, int64_t dim) {
    return pv_active_kernels()->i8_score(metric, q, x, dim);
}
void pv_f32_scores(int32_t metric, const float *q, const float *x, int64_t n, int64_t dim, float *out) {
    pv_active_kernels()->f32_scores(metric, q, x, n, dim, out);
}
void pv_f16_scores(int32_t metric, const float *q, const uint16_t *x, int64_t n, int64_t dim, float *out) {
    pv_active_kernels()->f16_scores(metric, q, x, n, dim, out);
}
void pv_i8_scores(int32_t metric, const int8_t *q, const int8_t *x, int64_t n, int64_t dim, float *out) {
    pv_active_kernels()->i8_scores(metric, q, x, n, dim, out);
}
void pv_f32_to_f16(const float *src, uint16_t *dst, int64_t n) { pv_active_kernels()->f32_to_f16(src, dst, n); }
void pv_f16_to_f32(const uint16_t *src, float *dst, int64_t n) { pv_active_kernels()->f16_to_f32(src, dst, n); }
uint32_t pv_crc32c(uint32_t crc, const void *data, int64_t len) { return pv_active_kernels()->crc32c(crc, data, len); }
double pv_stream_sum_f32(const float *x, int64_t n) { return pv_active_kernels()->stream_sum_f32(x, n); }
