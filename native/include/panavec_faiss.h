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
 */
#ifndef PANAVEC_FAISS_H
#define PANAVEC_FAISS_H

#include <stdint.h>

#include "panavec.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pv_faiss_index pv_faiss_index;
typedef struct pv_faiss_range_result pv_faiss_range_result;

/* ---- lifecycle ------------------------------------------------------------------------ */
/* Builds an index with faiss::index_factory(dim, spec, metric); spec is index_factory syntax
 * ("Flat", "HNSW32,Flat", "IVF1024,PQ48", "OPQ48,IVF1024,PQ48", "IDMap,Flat", ...). */
PV_API int32_t pv_faiss_index_factory(int64_t dim, const char *spec, int32_t metric,
                                      pv_faiss_index **out, char *err, int64_t errcap);
/* Frees the handle (NULL is a no-op). */
PV_API void pv_faiss_index_free(pv_faiss_index *index);

/* ---- properties ----------------------------------------------------------------------- */
PV_API int64_t pv_faiss_index_dim(pv_faiss_index *index);
PV_API int64_t pv_faiss_index_ntotal(pv_faiss_index *index);
/* 1 if trained (or needing no training), else 0. */
PV_API int32_t pv_faiss_index_is_trained(pv_faiss_index *index);
/* PV_METRIC_IP or PV_METRIC_L2 (-1 for other FAISS metrics, e.g. read from a file). */
PV_API int32_t pv_faiss_index_metric(pv_faiss_index *index);
/* Flags of what the index contains, after unwrapping IDMap and pre-transforms. */
#define PV_FAISS_HAS_HNSW 1
#define PV_FAISS_HAS_IVF 2
#define PV_FAISS_HAS_IDMAP 4
#define PV_FAISS_HAS_TRANSFORM 8
PV_API int32_t pv_faiss_index_features(pv_faiss_index *index);

/* ---- building ------------------------------------------------------------------------- */
/* x: n * dim floats, row-major. */
PV_API int32_t pv_faiss_index_train(pv_faiss_index *index, int64_t n, const float *x,
                                    char *err, int64_t errcap);
PV_API int32_t pv_faiss_index_add(pv_faiss_index *index, int64_t n, const float *x,
                                  char *err, int64_t errcap);
PV_API int32_t pv_faiss_index_add_with_ids(pv_faiss_index *index, int64_t n, const float *x,
                                           const int64_t *ids, char *err, int64_t errcap);
/* Removes the given ids; *nremoved receives how many FAISS removed. Indexes that cannot
 * remove (e.g. HNSW) return PV_ENATIVE with FAISS's message. Note that a plain (non-IDMap)
 * Flat index renumbers the vectors after the removed ones. */
PV_API int32_t pv_faiss_index_remove_ids(pv_faiss_index *index, int64_t n, const int64_t *ids,
                                         int64_t *nremoved, char *err, int64_t errcap);

/* Sets HNSW's build beam (efConstruction) for the vectors added from now on; PV_EUNSUPPORTED
 * when the index has no HNSW layer. FAISS's factory leaves it at 40. */
PV_API int32_t pv_faiss_index_set_ef_construction(pv_faiss_index *index, int32_t ef_construction,
                                                  char *err, int64_t errcap);

/* ---- searching -----------------------------------------------------------------------
 * Per-request parameters:
 *   ef_search: HNSW queue size, 0 = the value currently set on the index;
 *   nprobe:    IVF lists visited, 0 = the index's own nprobe (1 unless changed);
 *   allow / allow_nbits: optional allow-list over ids (bit i of allow[i>>6] set = id i may be
 *              returned; ids >= allow_nbits are excluded); allow == NULL allows every id.
 *              Supported when the searched index is Flat, IVF* or HNSW (through IDMap and
 *              pre-transforms); PV_EUNSUPPORTED otherwise.
 * Parameters that do not apply to the index are ignored. */
/* distances/labels: n * k each, best first. */
PV_API int32_t pv_faiss_index_search(pv_faiss_index *index, int64_t n, const float *x, int64_t k,
                                     int32_t ef_search, int32_t nprobe,
                                     const uint64_t *allow, int64_t allow_nbits,
                                     float *distances, int64_t *labels,
                                     char *err, int64_t errcap);
/* Range search: IP keeps scores > radius, L2 keeps distances < radius (FAISS's rule). The
 * results land in a result handle (each query's hits sorted best first, ties by id) that the
 * caller reads with pv_faiss_range_result_* and frees. ef_search is unused (HNSW has no
 * range search in FAISS 1.7.3: PV_ENATIVE). */
PV_API int32_t pv_faiss_index_range_search(pv_faiss_index *index, int64_t n, const float *x,
                                           float radius, int32_t ef_search, int32_t nprobe,
                                           const uint64_t *allow, int64_t allow_nbits,
                                           pv_faiss_range_result **out,
                                           char *err, int64_t errcap);
PV_API int64_t pv_faiss_range_result_nq(const pv_faiss_range_result *result);
/* Total number of hits over all queries. */
PV_API int64_t pv_faiss_range_result_size(const pv_faiss_range_result *result);
/* Copies lims (nq + 1 entries: query i's hits are [lims[i], lims[i+1])), labels and
 * distances (size entries each) into caller buffers. */
PV_API void pv_faiss_range_result_copy(const pv_faiss_range_result *result, int64_t *lims,
                                       int64_t *labels, float *distances);
PV_API void pv_faiss_range_result_free(pv_faiss_range_result *result);

/* ---- persistence ---------------------------------------------------------------------- */
/* faiss::write_index to a file; PV_EIO on failure. */
PV_API int32_t pv_faiss_index_write(pv_faiss_index *index, const char *path,
                                    char *err, int64_t errcap);
/* faiss::read_index from a file; PV_EIO if it cannot be opened, PV_ECORRUPT if FAISS rejects
 * its content. */
PV_API int32_t pv_faiss_index_read(const char *path, pv_faiss_index **out,
                                   char *err, int64_t errcap);

/* ---- threads -------------------------------------------------------------------------- */
/* OpenMP threads FAISS uses inside each call (train, add, search); 0 = OpenMP's default.
 * Process-wide: applied by every pv_faiss_* call on its calling thread (OpenMP's own setting
 * is per thread). Negative values are PV_EINVAL. */
PV_API int32_t pv_faiss_set_omp_threads(int32_t n);
PV_API int32_t pv_faiss_get_omp_threads(void);

#ifdef __cplusplus
}
#endif
#endif
