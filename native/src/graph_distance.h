/*
 * Distances used by the graph index, as "lower is closer": -dot for IP, squared L2 for L2. They come
 * from the ISA kernel table in use (kernels.h), read when a search or an add starts, so the graph
 * runs at the level chosen at load or forced with pv_isa_force, like every other kernel.
 */
#ifndef PV_GRAPH_DISTANCE_H
#define PV_GRAPH_DISTANCE_H

#include <stdint.h>

#include "kernels.h"
#include "panavec.h"

typedef float (*graph_distance_fn)(const float *q, const float *x, int64_t dim);

static inline graph_distance_fn graph_distance_pick(int32_t metric) {
    const pv_kernel_table *t = pv_active_kernels();
    return metric == PV_METRIC_L2 ? t->f32_l2sq : t->f32_neg_dot;
}

#endif
