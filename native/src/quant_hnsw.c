/* HNSW traversal over code rows: a hnsw_view whose distance scores the prepared query against a code
 * row (quant kernels of the level in use), then the graph's own search. */
#include "hnsw_internal.h"
#include "pv_internal.h"
#include "quant_kernels.h"

int32_t pv_hnsw_search_codes(const pv_hnsw *h, const pv_codes *codes, const float *qt, int32_t k, int32_t ef_search,
                             const uint64_t *allow, int64_t *out_rows, float *out_scores, int32_t *out_n_found,
                             int64_t *out_n_distance_computations, char *err, int64_t errcap) {
    int32_t rc = hnsw_check_search(h, codes, qt, k, ef_search, out_rows, out_scores, out_n_found, err, errcap);
    if (rc != PV_OK) return rc;
    if (codes->chunks == NULL || !pv_quant_bits_ok(codes->bits) || codes->dim < 1 || codes->rows_per_chunk_log2 < 0 ||
        codes->rows_per_chunk_log2 > 40 || codes->count < 0) {
        pv_set_err(err, errcap, "bad codes: chunks %s, bits %d (1, 4 or 8), dim %d, rows_per_chunk_log2 %lld, count %lld",
                   codes->chunks == NULL ? "NULL" : "set", codes->bits, codes->dim,
                   (long long)codes->rows_per_chunk_log2, (long long)codes->count);
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
    return hnsw_search(h, &v, qt, k, ef_search, allow, HNSW_ACCEPT_POST_FILTER, out_rows, out_scores, out_n_found,
                       out_n_distance_computations, err, errcap);
}
