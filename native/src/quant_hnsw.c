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
    const pv_kernel_table *t = pv_active_kernels();
    const int64_t pd = pv_quant_padded_dim(codes->dim);
    v.dist = pv_quant_graph_distance(t, h->metric, codes->bits);
    v.dim = (int32_t)pd;
    if (codes->bits == 4 && pd <= PV_QUANT_I8_MAX_PDIM) {
        /* 4-bit codes walk on the query rounded to int8 once: byte multiplies per hop (quant_i8_dot_u4); the
         * caller's re-rank is unchanged, and the walk's scores differ from pv_quant_score by at most
         * step * scale / 2 * sum of the codes */
        float qi8[PV_QUANT_I8_FLOATS(PV_QUANT_I8_MAX_PDIM)] __attribute__((aligned(32)));
        pv_quant_i8_query(qt, pd, qi8);
        v.dist = h->metric == PV_METRIC_L2 ? t->quant_l2_dist_i8u4 : t->quant_ip_dist_i8u4;
        return hnsw_search(h, &v, qi8, k, ef_search, allow, HNSW_ACCEPT_POST_FILTER, 1, out_rows, out_scores, out_n_found,
                           out_n_distance_computations, err, errcap);
    }
    return hnsw_search(h, &v, qt, k, ef_search, allow, HNSW_ACCEPT_POST_FILTER, 1, out_rows, out_scores, out_n_found,
                       out_n_distance_computations, err, errcap);
}
