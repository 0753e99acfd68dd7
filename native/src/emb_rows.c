/* Row sizes of the embedding gather kernels' encodings (panavec_embedding.h). */
#include "panavec_embedding.h"

int64_t pv_emb_row_bytes(int32_t encoding, int64_t dim) {
    if (dim < 1 || dim > (INT64_C(1) << 40)) return -1;
    const int64_t pd = (dim + 31) & ~INT64_C(31);
    switch (encoding) {
    case PV_EMB_F32: return 4 * dim;
    case PV_EMB_F16: return 2 * dim;
    case PV_EMB_CODES8: return 16 + pd;
    case PV_EMB_CODES4: return 16 + pd / 2;
    default: return -1;
    }
}
