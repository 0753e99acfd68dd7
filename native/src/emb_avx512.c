/* The AVX-512 level's embedding gather kernels: the AVX2 ones (decoding is bound by the rows' memory reads;
 * a 512-bit variant was not measured). */
#include "kernels.h"

void emb_gather_avx512(const uint8_t *const *chunks, int64_t chunk_log2, int64_t row_bytes, int32_t encoding, int64_t dim,
                       const float *mean, const int64_t *rows, int64_t n, float *out) {
    emb_gather_avx2(chunks, chunk_log2, row_bytes, encoding, dim, mean, rows, n, out);
}

void emb_bags_avx512(const uint8_t *const *chunks, int64_t chunk_log2, int64_t row_bytes, int32_t encoding, int64_t dim,
                     const float *mean, const int64_t *rows, int64_t group, const int64_t *offsets, int64_t nbags,
                     int32_t pool, float *scratch, float *out) {
    emb_bags_avx2(chunks, chunk_log2, row_bytes, encoding, dim, mean, rows, group, offsets, nbags, pool, scratch, out);
}
