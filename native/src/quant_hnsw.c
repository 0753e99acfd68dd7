/* HNSW traversal over code rows: builds a hnsw_view whose distance scores the prepared query
 * against a code row (quant kernels of the active ISA), then runs the graph's own search. */
#include "hnsw_internal.h"
#include "pv_internal.h"
#include "quant_kernels.h"

int32_t pv_hnsw_search_codes(const pv_hnsw *h, const pv_codes *codes, const float *qt, int32_t k, int32_t ef_search,
                             const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found,
                             int64_t *out_n_distance_computations, char *err, int64_t errcap) {
    if (h == NULL || codes == NULL || codes->chunks == NULL || qt == NULL || out_rows == NULL || out_scores == NULL ||
        out_n_found == NULL) {
        pv_set_err(err, errcap, "index, codes (and its chunk table), query, out_rows, out_scores and out_n_found "
                                "must not be NULL");
        return PV_EINVAL;
    }
    if (k < 1 || ef_search < 1) {
        pv_set_err(err, errcap, "k and ef_search must be >= 1 (k %d, ef_search %d)", k, ef_search);
        return PV_EINVAL;
    }
    const int bits_ok = pv_quant_bits_ok(codes->bits);
    if (!bits_ok || codes->dim < 1 || codes->rows_per_chunk_log2 < 0 || codes->rows_per_chunk_log2 > 40 ||
        codes->count < 0) {
        pv_set_err(err, errcap, "bad codes: bits %d (1, 4 or 8), dim %d, rows_per_chunk_log2 %lld, count %lld",
                   codes->bits, codes->dim, (long long)codes->rows_per_chunk_log2, (long long)codes->count);
        return PV_EINVAL;
    }
    hnsw_view v;
    v.chunks = (const char *const *)codes->chunks;
    v.shift = (int)codes->rows_per_chunk_log2;
    v.mask = (1ull << v.shift) - 1;
    v.row_bytes = (size_t)pv_quant_row_bytes(codes->bits, codes->dim, 1);
    v.count = codes->count > PV_HNSW_MAX_ROWS ? (uint32_t)PV_HNSW_MAX_ROWS : (uint32_t)codes->count;
    v.dist = pv_quant_graph_distance(pv_active_kernels(), h->metric, codes->bits);
    v.dim = (int32_t)pv_quant_padded_dim(codes->dim);
    return hnsw_search_view(h, &v, qt, k, ef_search, allow, out_rows, out_scores, out_n_found,
                            out_n_distance_computations, err, errcap);
}
