// FAISS 1.7.3's read_index trusts the counts in the file: a forged ntotal or neighbour id reads out of
// bounds in search_from_candidates, a forged PQ M divides by zero. These checks run on what read_index
// built and cover the index types FactoryString lets panavec create; any other type is refused.

#include "faiss_checks.h"
#include "faiss_store.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/IndexIVFPQ.h>
#include <faiss/IndexPQ.h>
#include <faiss/IndexPreTransform.h>
#include <faiss/IndexScalarQuantizer.h>
#include <faiss/VectorTransform.h>
#include <faiss/impl/ProductQuantizer.h>
#include <faiss/invlists/InvertedLists.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <typeinfo>

namespace {

void need(bool ok, const std::string &what) {
    if (!ok) throw std::runtime_error("corrupt FAISS index: " + what);
}

std::string n(int64_t v) {
    return std::to_string(v);
}

// A NaN or infinity stored as a vector, centroid or weight makes every score it touches meaningless.
void need_finite(const float *x, size_t count, const std::string &what) {
    for (size_t i = 0; i < count; i++) {
        if (!std::isfinite(x[i])) throw std::runtime_error("corrupt FAISS index: " + what + " holds a non-finite value at " + n(i));
    }
}

void check_pq(const faiss::ProductQuantizer &pq, int64_t d, const char *where) {
    std::string w(where);
    need(pq.d == (size_t)d, w + " PQ dimension " + n(pq.d) + " != " + n(d));
    need(pq.M >= 1 && pq.M <= pq.d && pq.d % pq.M == 0, w + " PQ M " + n(pq.M) + " does not divide d " + n(pq.d));
    need(pq.nbits >= 1 && pq.nbits <= 16, w + " PQ nbits " + n(pq.nbits) + " outside 1..16");
    need(pq.dsub == pq.d / pq.M, w + " PQ dsub " + n(pq.dsub) + " != d / M");
    need(pq.ksub == ((size_t)1 << pq.nbits), w + " PQ ksub " + n(pq.ksub) + " != 2^nbits");
    need(pq.code_size == (pq.M * pq.nbits + 7) / 8, w + " PQ code size " + n(pq.code_size) + " != ceil(M x nbits / 8)");
    need(pq.centroids.size() == pq.d * pq.ksub, w + " PQ holds " + n(pq.centroids.size()) + " centroid floats, M x ksub x dsub = "
                                                    + n(pq.d * pq.ksub));
    need_finite(pq.centroids.data(), pq.centroids.size(), w + " PQ centroids");
}

void check_sq(const faiss::ScalarQuantizer &sq, int64_t d, const char *where) {
    need(sq.d == (size_t)d, std::string(where) + " SQ dimension " + n(sq.d) + " != " + n(d));
    faiss::ScalarQuantizer fresh(sq.d, sq.qtype);
    need(sq.code_size == fresh.code_size, std::string(where) + " SQ code size " + n(sq.code_size) + " != " + n(fresh.code_size));
    need_finite(sq.trained.data(), sq.trained.size(), std::string(where) + " SQ ranges");
}

void check_flat_codes(const faiss::IndexFlatCodes *f, size_t code_size, const char *what) {
    need(f->code_size == code_size, std::string(what) + " code size " + n(f->code_size) + " != " + n(code_size));
    need(f->codes.size() == (size_t)f->ntotal * f->code_size,
         std::string(what) + " holds " + n(f->codes.size()) + " code bytes for ntotal " + n(f->ntotal));
}

void check_hnsw(const faiss::IndexHNSW *h) {
    const faiss::HNSW &g = h->hnsw;
    int64_t nt = h->ntotal;
    need(h->storage != nullptr, "HNSW without storage");
    need(h->storage->ntotal == nt && h->storage->d == h->d, "HNSW storage ntotal/d " + n(h->storage->ntotal) + "/" + n(h->storage->d)
                                                                + " != " + n(nt) + "/" + n(h->d));
    need((int64_t)g.levels.size() == nt, "HNSW has " + n(g.levels.size()) + " levels for ntotal " + n(nt));
    need((int64_t)g.offsets.size() == nt + 1, "HNSW has " + n(g.offsets.size()) + " offsets for ntotal " + n(nt));
    int nlev = (int)g.cum_nneighbor_per_level.size() - 1;
    need(nlev >= 1 && g.cum_nneighbor_per_level[0] == 0, "HNSW neighbour table per level is empty");
    for (int l = 0; l < nlev; l++) {
        need(g.cum_nneighbor_per_level[l + 1] > g.cum_nneighbor_per_level[l], "HNSW neighbour counts per level are not increasing");
    }
    need(g.max_level >= -1 && g.max_level < nlev, "HNSW max level " + n(g.max_level) + " outside the table of " + n(nlev));
    need(nt == 0 ? g.entry_point == -1 || g.entry_point == 0 : g.entry_point >= 0 && g.entry_point < nt,
         "HNSW entry point " + n(g.entry_point) + " outside 0.." + n(nt - 1));
    need(g.offsets[0] == 0, "HNSW offsets do not start at 0");
    for (int64_t i = 0; i < nt; i++) {
        int lv = g.levels[i];
        need(lv >= 1 && lv <= g.max_level + 1, "HNSW node " + n(i) + " has level " + n(lv) + " outside 1.." + n(g.max_level + 1));
        need(g.offsets[i + 1] - g.offsets[i] == (size_t)g.cum_nneighbor_per_level[lv],
             "HNSW node " + n(i) + " has " + n(g.offsets[i + 1] - g.offsets[i]) + " neighbour slots for level " + n(lv));
    }
    if (nt > 0) need(g.levels[g.entry_point] == g.max_level + 1, "HNSW entry point is not on the top level");
    need(g.neighbors.size() == g.offsets[nt], "HNSW holds " + n(g.neighbors.size()) + " neighbour ids, the offsets " + n(g.offsets[nt]));
    for (size_t j = 0; j < g.neighbors.size(); j++) {
        need(g.neighbors[j] >= -1 && g.neighbors[j] < nt, "HNSW neighbour id " + n(g.neighbors[j]) + " outside -1.." + n(nt - 1));
    }
}

void check_ivf(const faiss::IndexIVF *ivf);

void check_transform(const faiss::VectorTransform *vt) {
    need(vt->d_in >= 1 && vt->d_out >= 1, "transform with dimensions " + n(vt->d_in) + " -> " + n(vt->d_out));
    if (auto *lt = dynamic_cast<const faiss::LinearTransform *>(vt)) {
        if (lt->is_trained) {
            need(lt->A.size() == (size_t)lt->d_in * lt->d_out, "linear transform holds " + n(lt->A.size()) + " weights for "
                                                                    + n(lt->d_in) + " -> " + n(lt->d_out));
            need(lt->b.empty() || lt->b.size() == (size_t)lt->d_out, "linear transform bias of " + n(lt->b.size()));
            need_finite(lt->A.data(), lt->A.size(), "linear transform");
            need_finite(lt->b.data(), lt->b.size(), "linear transform bias");
        }
        return;
    }
    if (dynamic_cast<const faiss::NormalizationTransform *>(vt)) {
        need(vt->d_in == vt->d_out, "normalization changes the dimension");
        return;
    }
    throw std::runtime_error(std::string("FAISS transform ") + typeid(*vt).name() + " is not one panavec can check");
}

void check(const faiss::Index *idx) {
    need(idx->d >= 1 && idx->ntotal >= 0, "dimension " + n(idx->d) + " / ntotal " + n(idx->ntotal));
    if (auto *pt = dynamic_cast<const faiss::IndexPreTransform *>(idx)) {
        need(pt->index != nullptr && !pt->chain.empty(), "pre-transform without index or transforms");
        int64_t d = pt->d;
        for (const faiss::VectorTransform *vt : pt->chain) {
            need(vt != nullptr && vt->d_in == d, "transform chain breaks at dimension " + n(d));
            check_transform(vt);
            d = vt->d_out;
        }
        need(pt->index->d == d && pt->index->ntotal == pt->ntotal, "pre-transform's index has d/ntotal " + n(pt->index->d) + "/"
                                                                       + n(pt->index->ntotal) + ", expected " + n(d) + "/" + n(pt->ntotal));
        check(pt->index);
        return;
    }
    if (auto *im = dynamic_cast<const faiss::IndexIDMap *>(idx)) {
        need(im->index != nullptr && im->index->d == im->d && im->index->ntotal == im->ntotal, "id map's index does not match it");
        need((int64_t)im->id_map.size() == im->ntotal, "id map holds " + n(im->id_map.size()) + " ids for ntotal " + n(im->ntotal));
        check(im->index);
        return;
    }
    if (auto *h = dynamic_cast<const faiss::IndexHNSW *>(idx)) {
        check_hnsw(h);
        check(h->storage);
        return;
    }
    if (auto *ivf = dynamic_cast<const faiss::IndexIVF *>(idx)) {
        check_ivf(ivf);
        return;
    }
    if (auto *pq = dynamic_cast<const faiss::IndexPQ *>(idx)) {
        check_pq(pq->pq, pq->d, "IndexPQ");
        check_flat_codes(pq, pq->pq.code_size, "IndexPQ");
        return;
    }
    if (auto *sq = dynamic_cast<const faiss::IndexScalarQuantizer *>(idx)) {
        check_sq(sq->sq, sq->d, "IndexScalarQuantizer");
        check_flat_codes(sq, sq->sq.code_size, "IndexScalarQuantizer");
        return;
    }
    if (auto *rows = dynamic_cast<const PvStoreRows *>(idx)) { // rows of the store it is bound to
        need(rows->ntotal <= rows->bound_rows, "index over " + n(rows->ntotal) + " store rows bound to " + n(rows->bound_rows));
        return;
    }
    if (auto *f = dynamic_cast<const faiss::IndexFlat *>(idx)) {
        check_flat_codes(f, (size_t)f->d * sizeof(float), "IndexFlat");
        need_finite(reinterpret_cast<const float *>(f->codes.data()), f->codes.size() / sizeof(float), "IndexFlat");
        return;
    }
    throw std::runtime_error(std::string("FAISS index type ") + typeid(*idx).name() + " is not one panavec can check");
}

void check_ivf(const faiss::IndexIVF *ivf) {
    need(ivf->nlist >= 1 && ivf->nlist <= (size_t)1 << 24, "IVF nlist " + n(ivf->nlist));
    need(ivf->quantizer != nullptr && ivf->quantizer->d == ivf->d, "IVF quantizer missing or of another dimension");
    need(!ivf->is_trained || ivf->quantizer->ntotal == (int64_t)ivf->nlist,
         "IVF quantizer holds " + n(ivf->quantizer->ntotal) + " centroids for nlist " + n(ivf->nlist));
    check(ivf->quantizer);
    const faiss::InvertedLists *il = ivf->invlists;
    need(il != nullptr && il->nlist == ivf->nlist && il->code_size == ivf->code_size, "IVF inverted lists do not match the index");
    size_t total = 0;
    auto *arr = dynamic_cast<const faiss::ArrayInvertedLists *>(il);
    need(arr != nullptr, "IVF inverted lists are not in memory");
    for (size_t l = 0; l < ivf->nlist; l++) {
        need(arr->codes[l].size() == arr->ids[l].size() * il->code_size, "IVF list " + n(l) + " holds codes for another count");
        for (faiss::Index::idx_t id : arr->ids[l]) need(id >= 0, "IVF list " + n(l) + " holds id " + n(id));
        total += arr->ids[l].size();
    }
    need(total == (size_t)ivf->ntotal, "IVF lists hold " + n(total) + " vectors, ntotal is " + n(ivf->ntotal));
    if (auto *pq = dynamic_cast<const faiss::IndexIVFPQ *>(ivf)) {
        check_pq(pq->pq, pq->d, "IndexIVFPQ");
        need(ivf->code_size == pq->pq.code_size, "IVF-PQ code size");
    } else if (auto *sq = dynamic_cast<const faiss::IndexIVFScalarQuantizer *>(ivf)) {
        check_sq(sq->sq, sq->d, "IndexIVFScalarQuantizer");
        need(ivf->code_size == sq->sq.code_size, "IVF-SQ code size");
    } else if (dynamic_cast<const faiss::IndexIVFFlat *>(ivf)) {
        need(ivf->code_size == (size_t)ivf->d * sizeof(float), "IVF-Flat code size " + n(ivf->code_size));
        for (size_t l = 0; l < ivf->nlist; l++) {
            need_finite(reinterpret_cast<const float *>(arr->codes[l].data()), arr->codes[l].size() / sizeof(float), "IVF-Flat list " + n(l));
        }
    } else {
        throw std::runtime_error(std::string("FAISS IVF type ") + typeid(*ivf).name() + " is not one panavec can check");
    }
}

} // namespace

void pv_faiss_check_structure(const faiss::Index *index) {
    need(index != nullptr, "no index");
    check(index);
}
