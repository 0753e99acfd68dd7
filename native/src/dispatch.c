/* Run-time ISA dispatch: detects the CPU once at load (cpuid + xgetbv, so a CPU whose OS does not
 * save YMM/ZMM state is treated as lacking AVX), honours PANAVEC_ISA, and forwards every public
 * kernel through the active table, read with one atomic load per call. */
#include <cpuid.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "panavec.h"
#include "panavec_multivector.h"
#include "panavec_embedding.h"
#include "panavec_quant.h"

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

/* One table per level, every entry from panavec.def (kernel_table.inc), indexed by PV_ISA_*. */
static const pv_kernel_table tables[] = {
    {
        .isa = PV_ISA_SCALAR,
#define PV_LEVEL scalar
#include "kernel_table.inc"
    },
    {
        .isa = PV_ISA_AVX2,
#define PV_LEVEL avx2
#include "kernel_table.inc"
    },
    {
        .isa = PV_ISA_AVX512,
#define PV_LEVEL avx512
#include "kernel_table.inc"
    },
};

static const pv_kernel_table *table_for(int32_t isa) {
    return &tables[isa >= PV_ISA_SCALAR && isa <= PV_ISA_AVX512 ? isa : PV_ISA_SCALAR];
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

/* ---- exported kernels: one table read per call, one forwarder per PV_KERNEL of panavec.def ---- */

#define PV_KERNEL(group, ret, name, params, args, java) \
    ret pv_##name params { return pv_active_kernels()->name args; }
#include "panavec.def"
