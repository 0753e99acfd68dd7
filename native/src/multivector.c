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
    const int64_t nb = (int64_t)1 << p->ksim, slots = n < nb ? n : nb;
    return n * (p->ksim + 2) + 2 * nb + slots * p->dim + (p->dfinal > 0 ? pv_fde_raw_dim(p) : 0);
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

/* 1 / |v| (dim floats); 0 for a zero vector. */
static float inverse_norm(const float *v, int64_t dim) {
    double norm = 0.0;
    for (int64_t j = 0; j < dim; j++) norm += (double)v[j] * v[j];
    return norm > 0.0 ? (float)(1.0 / sqrt(norm)) : 0.0f;
}

/* The inner projection is linear, so each repetition sums (or averages) the tokens of a bucket in token space and
 * projects that one vector: nonempty buckets x dproj x dim multiply-adds instead of tokens x dproj x dim (6x fewer
 * for 12 query tokens in 2 buckets). */
void pv_fde_encode(const pv_fde_params *p, int32_t kind, const float *tokens, int64_t n, float *out, float *scratch) {
    const pv_kernel_table *t = pv_active_kernels();
    const int64_t dim = p->dim, ksim = p->ksim, dproj = p->dproj, nb = (int64_t)1 << p->ksim;
    float *sims = scratch;
    uint32_t *patterns = (uint32_t *)(sims + n * ksim);
    uint32_t *buckets = patterns + n;
    float *counts = (float *)(buckets + n);
    int32_t *slot = (int32_t *)(counts + nb);     /* a nonempty bucket's row in sums */
    float *sums = (float *)(slot + nb);           /* min(n, nb) x dim: the token sums of the nonempty buckets */
    const int64_t slots = n < nb ? n : nb;
    float *raw = p->dfinal > 0 ? sums + slots * dim : out;
    const int document = kind == PV_FDE_DOCUMENT;
    for (int64_t r = 0; r < p->reps; r++) {
        float *block = raw + r * nb * dproj;
        const float *proj = p->proj + r * dproj * dim;
        memset(block, 0, (size_t)(nb * dproj) * sizeof(float));
        memset(counts, 0, (size_t)nb * sizeof(float));
        int32_t used = 0;
        for (int64_t i = 0; i < n; i++) {
            const float *x = tokens + i * dim;
            uint32_t g = 0;
            if (ksim > 0) {
                t->f32_scores(PV_METRIC_IP, x, p->simhash + r * ksim * dim, ksim, dim, sims + i * ksim);
                patterns[i] = sign_pattern(sims + i * ksim, p->ksim, &g);
            } else {
                patterns[i] = 0;
            }
            buckets[i] = g;
            if (counts[g] == 0.0f) slot[g] = used++;
            float *sum = sums + (int64_t)slot[g] * dim;
            if (counts[g] == 0.0f) {
                memcpy(sum, x, (size_t)dim * sizeof(float));
            } else {
                for (int64_t j = 0; j < dim; j++) sum[j] += x[j];
            }
            counts[g] += 1.0f;
        }
        for (int64_t g = 0; g < nb; g++) {
            float *dst = block + g * dproj;
            if (counts[g] > 0.0f) {
                const float *sum = sums + (int64_t)slot[g] * dim;
                t->f32_scores(PV_METRIC_IP, sum, proj, dproj, dim, dst);
                if (!document) continue;                        /* queries: the projected sum */
                const float scale = p->doc_norm ? inverse_norm(sum, dim) : 1.0f / counts[g];
                for (int64_t j = 0; j < dproj; j++) dst[j] *= scale;
            } else if (document && p->fill_empty && ksim > 0) {
                /* the token whose sign pattern is nearest (Hamming) to the bucket's */
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
                const float *x = tokens + best * dim;
                t->f32_scores(PV_METRIC_IP, x, proj, dproj, dim, dst);
                if (p->doc_norm) {
                    const float scale = inverse_norm(x, dim);
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
