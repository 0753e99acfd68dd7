/*
 * panavec.h: SIMD distance kernels and run-time ISA dispatch.
 *
 * The functions and constants of every panavec header are listed, with their documentation, in
 * panavec.def; this header declares the "core" group of that list. The Java bindings
 * (io.panavec.bindings.panavec_h and siblings) are generated from the same list by the build.
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
 *  - Constants are enum constants (usable in constant expressions, not in #if).
 */
#ifndef PANAVEC_H
#define PANAVEC_H

#include <stdint.h>

#if defined(PV_BUILDING)
#define PV_API __attribute__((visibility("default")))
#else
#define PV_API
#endif

#define PV_SELECT_core(x) x
#include "panavec_declare.h"

#endif
