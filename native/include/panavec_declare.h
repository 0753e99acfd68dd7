/*
 * Expands panavec.def into the C declarations of one group. Not a standalone header: the including
 * header defines PV_SELECT_<its group>(x) as x, includes this file, and gets the constants (as enum
 * constants) and the exported functions of its own group; every other group expands to nothing.
 * A new group needs a default line below (and nothing else: the Java generator derives the class).
 */
#ifndef PV_SELECT_core
#define PV_SELECT_core(x)
#endif
#ifndef PV_SELECT_graph
#define PV_SELECT_graph(x)
#endif
#ifndef PV_SELECT_quant
#define PV_SELECT_quant(x)
#endif
#ifndef PV_SELECT_faiss
#define PV_SELECT_faiss(x)
#endif
#ifndef PV_SELECT_multivector
#define PV_SELECT_multivector(x)
#endif
#ifndef PV_SELECT_embedding
#define PV_SELECT_embedding(x)
#endif

#ifdef __cplusplus
extern "C" {
#endif
#define PV_CONST(group, kind, name, value) PV_SELECT_##group(enum { name = value };)
#define PV_FN(group, ret, name, params, java) PV_SELECT_##group(PV_API ret name params;)
#define PV_KERNEL(group, ret, name, params, args, java) PV_SELECT_##group(PV_API ret pv_##name params;)
#include "panavec.def"
#ifdef __cplusplus
}
#endif

#undef PV_SELECT_core
#undef PV_SELECT_graph
#undef PV_SELECT_quant
#undef PV_SELECT_faiss
#undef PV_SELECT_multivector
#undef PV_SELECT_embedding
