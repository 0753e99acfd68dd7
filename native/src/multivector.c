/* Multi-vector functions (panavec_multivector.h): FDE encoding and Chamfer scoring over a store view. The
 * bucket logic is scalar; the per-token projections (ksim + dproj dot products per repetition, the f32_scores
 * kernel) and MaxSim go through the ISA table of the active level, read once per call. */
#include <math.h>
#include <string.h>

#include "kernels.h"
#include "panavec_multivector.h"

int64_t pv_fde_raw_dim(const pv_fde_params *p) { return ((int64_t)p->reps << p->ksim) * p->dproj; }

int64_t pv_fde_dim(const pv_fde_params *p) { return p->dfinal > 0 ? p->dfinal : pv_fde_raw_dim(p); }

int64_t pv_fde_scratch_floats(const pv_fde_params *p, int64_t n) {
    return n * (p->ksim + p->dproj + 2) + ((int64_t)1 << p->ksim) + p->dim + (p->dfinal > 0 ? pv_fde_raw_dim(p) : 0);
}

/* Sign pattern of a token (hyperplane 0 most significant) and its Gray-code bucket. */
static uint32_t sign_pattern(const float *sims, int32_t ksim, uint32_t *bucket) {
    uint32_t pattern = 0, g = 0;
    for (int32_t h = 0; h < ksim; h++) {
        const uint32_t b = sims[h] > 0.0f;
        pattern = (pattern << 1) | b;
        g = (g << 1) + (b ^ (g & 1u));
    }
    *bucket = g;
    return pattern;
}

/* 1 / |sum of the tokens in bucket g| in token space (the projection is linear, so scaling the projected sum by
 * it projects the unit-length direction of the bucket's average); 0 when that sum is zero. */
static float bucket_inverse_norm(const float *tokens, int64_t n, int64_t dim, const uint32_t *buckets, uint32_t g,
                                 float *sum) {
    memset(sum, 0, (size_t)dim * sizeof(float));
    for (int64_t i = 0; i < n; i++) {
        if (buckets[i] != g) continue;
        const float *x = tokens + i * dim;
        for (int64_t j = 0; j < dim; j++) sum[j] += x[j];
    }
    double norm = 0.0;
    for (int64_t j = 0; j < dim; j++) norm += (double)sum[j] * sum[j];
    return norm > 0.0 ? (float)(1.0 / sqrt(norm)) : 0.0f;
}

void pv_fde_encode(const pv_fde_params *p, int32_t kind, const float *tokens, int64_t n, float *out, float *scratch) {
    const pv_kernel_table *t = pv_active_kernels();
    const int64_t dim = p->dim, ksim = p->ksim, dproj = p->dproj, nb = (int64_t)1 << p->ksim;
    float *sims = scratch;
    float *projs = sims + n * ksim;
    uint32_t *patterns = (uint32_t *)(projs + n * dproj);
    uint32_t *buckets = patterns + n;
    float *counts = (float *)(buckets + n);
    float *rawsum = counts + nb;
    float *raw = p->dfinal > 0 ? rawsum + dim : out;
    const int document = kind == PV_FDE_DOCUMENT;
    for (int64_t r = 0; r < p->reps; r++) {
        float *block = raw + r * nb * dproj;
        memset(block, 0, (size_t)(nb * dproj) * sizeof(float));
        memset(counts, 0, (size_t)nb * sizeof(float));
        for (int64_t i = 0; i < n; i++) {
            const float *x = tokens + i * dim;
            float *pi = projs + i * dproj;
            uint32_t g = 0;
            if (ksim > 0) {
                t->f32_scores(PV_METRIC_IP, x, p->simhash + r * ksim * dim, ksim, dim, sims + i * ksim);
                patterns[i] = sign_pattern(sims + i * ksim, p->ksim, &g);
            } else {
                patterns[i] = 0;
            }
            buckets[i] = g;
            t->f32_scores(PV_METRIC_IP, x, p->proj + r * dproj * dim, dproj, dim, pi);
            float *dst = block + (int64_t)g * dproj;
            for (int64_t j = 0; j < dproj; j++) dst[j] += pi[j];
            counts[g] += 1.0f;
        }
        if (!document) continue;
        for (int64_t g = 0; g < nb; g++) {
            float *dst = block + g * dproj;
            if (counts[g] > 0.0f) {
                if (p->doc_norm) {
                    const float scale = bucket_inverse_norm(tokens, n, dim, buckets, (uint32_t)g, rawsum);
                    for (int64_t j = 0; j < dproj; j++) dst[j] *= scale;
                } else {
                    for (int64_t j = 0; j < dproj; j++) dst[j] /= counts[g];
                }
            } else if (p->fill_empty && ksim > 0) {
                const uint32_t want = (uint32_t)g ^ ((uint32_t)g >> 1);
                int64_t best = 0;
                int best_d = 64;
                for (int64_t i = 0; i < n; i++) {
                    const int d = __builtin_popcount(patterns[i] ^ want);
                    if (d < best_d) {
                        best_d = d;
                        best = i;
                    }
                }
                memcpy(dst, projs + best * dproj, (size_t)dproj * sizeof(float));
                if (p->doc_norm) {
                    const float scale = bucket_inverse_norm(tokens + best * dim, 1, dim, buckets + best, buckets[best], rawsum);
                    for (int64_t j = 0; j < dproj; j++) dst[j] *= scale;
                }
            }
        }
    }
    if (p->dfinal > 0) {
        const int64_t rd = pv_fde_raw_dim(p);
        memset(out, 0, (size_t)p->dfinal * sizeof(float));
        for (int64_t i = 0; i < rd; i++) out[p->sketch_index[i]] += p->sketch_sign[i] * raw[i];
    }
}

void pv_chamfer_docs(const pv_vectors *tokens, const float *q, int64_t nq, const int64_t *ranges, int64_t ndocs,
                     float *scratch, float *out) {
    const pv_kernel_table *t = pv_active_kernels();
    const int64_t log2 = tokens->rows_per_chunk_log2, per = (int64_t)1 << log2, dim = tokens->dim;
    const int half = tokens->elem_type == PV_ELEM_F16;
    const int64_t row_bytes = dim * (half ? 2 : 4);
    for (int64_t d = 0; d < ndocs; d++) {
        int64_t r = ranges[2 * d], left = ranges[2 * d + 1];
        for (int64_t i = 0; i < nq; i++) scratch[i] = -INFINITY;
        while (left > 0) { /* a document may straddle two chunks */
            const int64_t in = r & (per - 1), piece = left < per - in ? left : per - in;
            const char *base = (const char *)tokens->chunks[r >> log2] + in * row_bytes;
            if (half) t->maxsim_f16(q, nq, (const uint16_t *)base, piece, dim, scratch);
            else t->maxsim_f32(q, nq, (const float *)base, piece, dim, scratch);
            r += piece;
            left -= piece;
        }
        double s = 0.0;
        for (int64_t i = 0; i < nq; i++) s += scratch[i];
        out[d] = (float)s;
    }
}
