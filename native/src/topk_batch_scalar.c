/* Scalar score tile of the blocked multi-query scan, over rows packed in panels of PV_PANEL rows stored
 * dimension-major (topk_batch.c): one accumulator per (query, row), in dimension order. */
#include "kernels.h"

void f32_score_panels_scalar(int32_t metric, const float *q, int64_t nq, const float *panels, int64_t nr, int64_t dim, float *out,
                           int64_t ldo) {
    for (int64_t i = 0; i < nq; i++) {
        const float *qi = q + i * dim;
        for (int64_t j0 = 0; j0 < nr; j0 += PV_PANEL) {
            const float *panel = panels + j0 * dim;
            const int64_t w = nr - j0 < PV_PANEL ? nr - j0 : PV_PANEL;
            float acc[PV_PANEL] = {0};
            for (int64_t d = 0; d < dim; d++) {
                const float *col = panel + d * PV_PANEL;
                for (int64_t j = 0; j < PV_PANEL; j++) {
                    if (metric == PV_METRIC_L2) {
                        const float diff = qi[d] - col[j];
                        acc[j] += diff * diff;
                    } else {
                        acc[j] += qi[d] * col[j];
                    }
                }
            }
            for (int64_t j = 0; j < w; j++) out[i * ldo + j0 + j] = acc[j];
        }
    }
}
