/*
 * Distances used by the graph index, as "lower is closer": -dot for IP, squared L2 for L2.
 * They come from the shared kernel table (kernels.h), so the graph runs at the ISA level chosen at
 * load (or forced with PANAVEC_ISA) like every other kernel; a graph keeps the level it was created
 * or loaded with.
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
