/*
 * panavec_faiss.h: a C ABI over FAISS 1.7.3 (linked statically into libpanavec).
 *
 * Follows panavec.h's conventions: every function that can fail returns PV_OK or a PV_E*
 * status, writes results through out-parameters and a message into err[errcap]. Every C++
 * exception (faiss::FaissException, std::bad_alloc, std::exception, anything) is caught here:
 * PV_ENATIVE (PV_ENOMEM for bad_alloc) with the exception's text. Callers validate arguments
 * (dimensions, NaN, bounds) before calling; the shim checks only what it cheaply can.
 *
 * Metrics: PV_METRIC_IP (scores are inner products, larger is better) or PV_METRIC_L2
 * (scores are squared distances, smaller is better). Cosine is IP over normalized vectors and
 * is the caller's business. Missing results (fewer than k candidates) have label -1.
 *
 * Threading: one handle may be searched from many threads at once; mutations (train, add,
 * remove, set) are serialized by a per-handle lock. HNSW's efSearch is a field of the index in
 * FAISS 1.7.3, so a search asking for a different efSearch than the one currently set runs
 * alone (exclusive lock) after setting it; searches asking for the current value run
 * concurrently. IVF's nprobe travels in per-call SearchParametersIVF and needs no lock.
 * pv_faiss_index_free must not race with any other call on the same handle.
 *
 * The functions are the "faiss" group of panavec.def, where each is documented.
 */
#ifndef PANAVEC_FAISS_H
#define PANAVEC_FAISS_H

#include <stdint.h>

#include "panavec.h"
#include "panavec_graph.h" /* pv_vectors: the store rows of pv_faiss_store_* */

typedef struct pv_faiss_index pv_faiss_index;
typedef struct pv_faiss_range_result pv_faiss_range_result;

#define PV_SELECT_faiss(x) x
#include "panavec_declare.h"

#endif
