// A FAISS storage index whose vectors are the rows of a panavec store (no copy), and the file that persists
// what FAISS adds on top of them (the HNSW links). See pv_faiss_store_* in panavec.def.
#pragma once

#include "panavec_graph.h"

#include <faiss/Index.h>
#include <faiss/IndexHNSW.h>
#include <faiss/impl/DistanceComputer.h>

#include <cstdint>
#include <vector>

// Rows 0 .. ntotal-1 of a store, read in place through the chunk table of the last view bound to it, and
// scored with panavec's kernels (the ISA level in use when a search or an add starts). ntotal grows only by
// add(n, x) with x the address of row ntotal of the bound view (the rows FAISS is given are the store's own),
// so an IndexHNSW built over it links exactly the store rows. The chunks must stay mapped while the index is
// used: the caller frees the index before it unmaps the store. bind() must not overlap a search.
struct PvStoreRows : faiss::Index {
    std::vector<const float *> chunks;
    int64_t chunk_log2 = 0;
    int64_t bound_rows = 0; // rows the bound view covers (>= ntotal)

    PvStoreRows(int d, faiss::MetricType metric) : faiss::Index(d, metric) {}

    const float *row(idx_t i) const {
        return chunks[(size_t)(i >> chunk_log2)] + (size_t)(i & ((int64_t(1) << chunk_log2) - 1)) * (size_t)d;
    }

    // Takes the view's chunk table; throws unless it is F32 of this dimension and covers ntotal rows.
    void bind(const pv_vectors *rows);

    void add(idx_t n, const float *x) override;
    void reset() override;
    // Exhaustive top k over the rows (params->sel honoured), best first, missing results labelled -1.
    void search(idx_t n, const float *x, idx_t k, float *distances, idx_t *labels,
                const faiss::SearchParameters *params = nullptr) const override;
    void reconstruct(idx_t key, float *recons) const override;
    // Scores as the metric has them (IP larger is better; IndexHNSW negates it), row against query or row.
    faiss::DistanceComputer *get_distance_computer() const override;
};

// The store rows under an index built by pv_faiss_store_create or read by pv_store_links_read (HNSW over
// them or the rows alone), or NULL if its vectors are FAISS's own.
PvStoreRows *pv_store_rows_of(faiss::Index *index);

// Writes the index's structure without its vectors: a header (magic, version, dimension, metric, rows, M)
// and, for HNSW, its levels and links. Throws std::runtime_error on an I/O failure.
void pv_store_links_write(const faiss::Index *index, const char *path);

// Reads a file written by pv_store_links_write, refusing (std::runtime_error naming the field) another
// magic, version, dimension or metric, counts that do not fit the file, and links that fail the
// structural checks; binds the new index (owning its rows object) to rows, which must cover its rows.
faiss::Index *pv_store_links_read(const char *path, int64_t dim, faiss::MetricType metric, const pv_vectors *rows);
