/* The ISA kernel table: one function pointer per PV_KERNEL and PV_ISA_KERNEL entry of panavec.def.
 * Every level implements every entry as <name>_scalar, <name>_avx2, <name>_avx512 (declared here from
 * the list, so an implementation with another signature does not compile and a missing one does not
 * link); dispatch.c builds the three tables and picks one at load. Not part of the ABI. */
#ifndef PV_KERNELS_H
#define PV_KERNELS_H

#include <stdint.h>

#include "panavec.h"

typedef struct pv_kernel_table {
    int32_t isa; /* PV_ISA_* */
#define PV_KERNEL(group, ret, name, params, args, java) ret(*name) params;
#define PV_ISA_KERNEL(ret, name, params, tested_by) ret(*name) params;
#include "panavec.def"
} pv_kernel_table;

#define PV_ISA_DECLARE(ret, name, params) ret name##_scalar params; ret name##_avx2 params; ret name##_avx512 params;
#define PV_KERNEL(group, ret, name, params, args, java) PV_ISA_DECLARE(ret, name, params)
#define PV_ISA_KERNEL(ret, name, params, tested_by) PV_ISA_DECLARE(ret, name, params)
#include "panavec.def"
#undef PV_ISA_DECLARE

/* The table in use (dispatch.c): chosen once at load, switched only by pv_isa_force. Callers read it
 * once per call. Never NULL. */
const pv_kernel_table *pv_active_kernels(void);

/* <name>_<PV_LEVEL>: for text shared by several levels (kernels_i8_entry.inc), whose including file
 * defines PV_LEVEL. */
#define PV_LEVEL_NAME(name) PV_LEVEL_PASTE(name, PV_LEVEL)
#define PV_LEVEL_PASTE(a, b) PV_LEVEL_PASTE_(a, b)
#define PV_LEVEL_PASTE_(a, b) a##_##b

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

/* Rows per panel of the blocked multi-query scan's packed tiles (topk_batch.c): a panel holds PV_PANEL rows
 * dimension-major, panel[d * PV_PANEL + j] = row j's element d, the last one zero-padded. */
#define PV_PANEL 16

/* Packs nr rows of x (f32, or f16 widened through widen, dim floats) into the panels f32_score_panels reads:
 * panels holds ceil(nr / PV_PANEL) * PV_PANEL * dim floats. Defined in topk_batch.c. */
void pv_pack_panels(const pv_kernel_table *t, int32_t elem, const void *x, int64_t nr, int64_t dim, float *widen,
                    float *panels);

#endif
