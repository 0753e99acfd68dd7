// extern "C" shim over FAISS 1.7.3: see panavec_faiss.h for the contract.
// No C++ exception may cross this boundary: every entry point runs its body through guarded().

#include "panavec_faiss.h"
#include "faiss_checks.h"
#include "faiss_store.h"
#include "pv_internal.h"

#include <faiss/Index.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/IndexIVF.h>
#include <faiss/IndexPreTransform.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/HNSW.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/index_factory.h>
#include <faiss/index_io.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdio>
#include <memory>
#include <mutex>
#include <new>
#include <numeric>
#include <shared_mutex>
#include <stdexcept>
#include <typeinfo>
#include <string>
#include <vector>

using idx_t = faiss::Index::idx_t;

struct pv_faiss_index {
    std::unique_ptr<faiss::Index> index;
    // Layers reached through IDMap/pre-transform wrappers, found once at creation.
    faiss::IndexHNSW *hnsw = nullptr;
    faiss::IndexIVF *ivf = nullptr;
    // The store rows under the index when its vectors are a panavec store's (pv_faiss_store_*), else NULL.
    PvStoreRows *store = nullptr;
    int32_t features = 0;
    // Shared: searches that leave hnsw.efSearch as it is. Exclusive: mutations, and searches
    // that must change hnsw.efSearch (FAISS 1.7.3 reads it from the index, not the request).
    std::shared_mutex lock;
};

struct pv_faiss_range_result {
    int64_t nq = 0;
    std::vector<int64_t> lims;
    std::vector<int64_t> labels;
    std::vector<float> distances;
};

namespace {

// A failure the shim itself detects, carrying its PV_E* status.
struct pv_failure : std::runtime_error {
    int32_t status;
    pv_failure(int32_t s, const std::string &msg) : std::runtime_error(msg), status(s) {}
};

// OpenMP's thread count is a per-thread setting, so the process-wide choice is re-applied on
// each calling thread. The default is captured at load time, before anyone changed it.
const int k_default_omp_threads = omp_get_max_threads();
std::atomic<int32_t> g_omp_threads{0};

void apply_omp_threads() {
    int32_t n = g_omp_threads.load(std::memory_order_relaxed);
    omp_set_num_threads(n > 0 ? n : k_default_omp_threads);
}

template <class Body>
int32_t guarded(char *err, int64_t errcap, Body &&body) {
    try {
        apply_omp_threads();
        return body();
    } catch (const pv_failure &e) {
        pv_set_err(err, errcap, "%s", e.what());
        return e.status;
    } catch (const faiss::FaissException &e) {
        pv_set_err(err, errcap, "%s", e.what());
        return PV_ENATIVE;
    } catch (const std::bad_alloc &e) {
        pv_set_err(err, errcap, "out of memory: %s", e.what());
        return PV_ENOMEM;
    } catch (const std::exception &e) {
        pv_set_err(err, errcap, "%s", e.what());
        return PV_ENATIVE;
    } catch (...) {
        pv_set_err(err, errcap, "unknown C++ exception");
        return PV_ENATIVE;
    }
}

void require(bool ok, const char *what) {
    if (!ok) throw pv_failure(PV_EINVAL, what);
}

// FAISS's metric for a PV_METRIC_IP / PV_METRIC_L2 argument (PV_EINVAL for any other).
faiss::MetricType checked_metric(int32_t metric) {
    require(metric == PV_METRIC_IP || metric == PV_METRIC_L2,
            "metric must be PV_METRIC_IP or PV_METRIC_L2 (cosine: IP over normalized vectors)");
    return metric == PV_METRIC_IP ? faiss::METRIC_INNER_PRODUCT : faiss::METRIC_L2;
}

// Allow-list over ids: bit i of words[i >> 6] (panavec.h's bitset layout).
struct AllowBitmap : faiss::IDSelector {
    const uint64_t *words;
    int64_t nbits;
    AllowBitmap(const uint64_t *w, int64_t n) : words(w), nbits(n) {}
    bool is_member(idx_t id) const override {
        return id >= 0 && id < nbits && ((words[id >> 6] >> (id & 63)) & 1u);
    }
};

// Seen from inside an IndexIDMap: internal position -> external id -> outer selector.
struct TranslatedSelector : faiss::IDSelector {
    const std::vector<idx_t> &id_map;
    const faiss::IDSelector *outer;
    TranslatedSelector(const std::vector<idx_t> &m, const faiss::IDSelector *o) : id_map(m), outer(o) {}
    bool is_member(idx_t i) const override {
        return i >= 0 && i < (idx_t)id_map.size() && outer->is_member(id_map[i]);
    }
};

struct Request {
    int32_t nprobe;
    const faiss::IDSelector *sel;
};

// FAISS's base Index throws from sa_code_size when a type has no standalone codec: PV_EUNSUPPORTED here.
void require_standalone_codec(const faiss::Index *idx) {
    try {
        (void)idx->sa_code_size();
    } catch (const faiss::FaissException &e) {
        throw pv_failure(PV_EUNSUPPORTED, std::string("no standalone codec: ") + e.what());
    }
}

void unsupported_filter(const faiss::Index *idx) {
    throw pv_failure(PV_EUNSUPPORTED, std::string("allow-list filtering is not supported by ") +
                                          typeid(*idx).name() + " (only Flat, IVF and HNSW)");
}

// The wrappers are unwrapped here rather than handed SearchParameters, because FAISS 1.7.3's
// IndexIDMap rejects SearchParameters and its id space differs from the inner index's: pre-transforms are
// applied to the queries, an id map translates the selector on the way in and, by relabel(id_map), the ids
// found on the way out (innermost first); leaf(idx, x, r) searches the unwrapped index.
template <class Leaf, class Relabel>
void through_wrappers(faiss::Index *idx, idx_t n, const float *x, const Request &r, Leaf &leaf, Relabel &relabel) {
    if (auto *pt = dynamic_cast<faiss::IndexPreTransform *>(idx)) {
        const float *xt = pt->apply_chain(n, x);
        std::unique_ptr<const float[]> owned(xt == x ? nullptr : xt);
        through_wrappers(pt->index, n, xt, r, leaf, relabel);
        return;
    }
    if (auto *im = dynamic_cast<faiss::IndexIDMap *>(idx)) {
        std::unique_ptr<TranslatedSelector> ts;
        Request inner = r;
        if (r.sel) {
            ts.reset(new TranslatedSelector(im->id_map, r.sel));
            inner.sel = ts.get();
        }
        through_wrappers(im->index, n, x, inner, leaf, relabel);
        relabel(im->id_map);
        return;
    }
    leaf(idx, x, r);
}

// The search parameters of an IVF index for request r, the selector included.
faiss::SearchParametersIVF ivf_params(const faiss::IndexIVF *ivf, const Request &r) {
    faiss::SearchParametersIVF p;
    p.nprobe = r.nprobe > 0 ? (size_t)r.nprobe : ivf->nprobe;
    p.max_codes = ivf->max_codes;
    p.sel = const_cast<faiss::IDSelector *>(r.sel);
    return p;
}

void knn(faiss::Index *idx, idx_t n, const float *x, idx_t k, float *D, idx_t *I, const Request &req) {
    auto leaf = [&](faiss::Index *leaf_idx, const float *xq, const Request &r) {
        if (auto *hn = dynamic_cast<faiss::IndexHNSW *>(leaf_idx)) {
            faiss::SearchParametersHNSW p;
            p.efSearch = hn->hnsw.efSearch; // what the caller's lock protocol set
            p.sel = const_cast<faiss::IDSelector *>(r.sel);
            hn->search(n, xq, k, D, I, r.sel ? &p : nullptr);
            return;
        }
        if (auto *ivf = dynamic_cast<faiss::IndexIVF *>(leaf_idx)) {
            faiss::SearchParametersIVF p = ivf_params(ivf, r);
            ivf->search(n, xq, k, D, I, &p);
            return;
        }
        if (dynamic_cast<faiss::IndexFlat *>(leaf_idx) || dynamic_cast<PvStoreRows *>(leaf_idx)) {
            faiss::SearchParameters p;
            p.sel = const_cast<faiss::IDSelector *>(r.sel);
            leaf_idx->search(n, xq, k, D, I, r.sel ? &p : nullptr);
            return;
        }
        if (r.sel) unsupported_filter(leaf_idx);
        leaf_idx->search(n, xq, k, D, I, nullptr);
    };
    auto relabel = [&](const std::vector<idx_t> &id_map) {
        for (idx_t i = 0; i < n * k; i++) {
            if (I[i] >= 0) I[i] = id_map[I[i]];
        }
    };
    through_wrappers(idx, n, x, req, leaf, relabel);
}

void range(faiss::Index *idx, idx_t n, const float *x, float radius, faiss::RangeSearchResult *res,
           const Request &req) {
    auto leaf = [&](faiss::Index *leaf_idx, const float *xq, const Request &r) {
        if (auto *ivf = dynamic_cast<faiss::IndexIVF *>(leaf_idx)) {
            faiss::SearchParametersIVF p = ivf_params(ivf, r);
            ivf->range_search(n, xq, radius, res, &p);
            return;
        }
        if (dynamic_cast<faiss::IndexFlat *>(leaf_idx) || dynamic_cast<PvStoreRows *>(leaf_idx)) {
            faiss::SearchParameters p;
            p.sel = const_cast<faiss::IDSelector *>(r.sel);
            leaf_idx->range_search(n, xq, radius, res, r.sel ? &p : nullptr);
            return;
        }
        if (r.sel) unsupported_filter(leaf_idx);
        leaf_idx->range_search(n, xq, radius, res, nullptr);
    };
    auto relabel = [&](const std::vector<idx_t> &id_map) {
        for (size_t i = 0; i < res->lims[n]; i++) {
            if (res->labels[i] >= 0) res->labels[i] = id_map[res->labels[i]];
        }
    };
    through_wrappers(idx, n, x, req, leaf, relabel);
}

void inspect(pv_faiss_index *h) {
    faiss::Index *cur = h->index.get();
    for (;;) {
        if (auto *pt = dynamic_cast<faiss::IndexPreTransform *>(cur)) {
            h->features |= PV_FAISS_HAS_TRANSFORM;
            cur = pt->index;
        } else if (auto *im = dynamic_cast<faiss::IndexIDMap *>(cur)) {
            h->features |= PV_FAISS_HAS_IDMAP;
            cur = im->index;
        } else {
            break;
        }
    }
    if ((h->hnsw = dynamic_cast<faiss::IndexHNSW *>(cur))) h->features |= PV_FAISS_HAS_HNSW;
    if ((h->ivf = dynamic_cast<faiss::IndexIVF *>(cur))) h->features |= PV_FAISS_HAS_IVF;
    if ((h->store = pv_store_rows_of(cur))) h->features |= PV_FAISS_HAS_STORE_ROWS;
}

pv_faiss_index *wrap(faiss::Index *raw) {
    std::unique_ptr<faiss::Index> owned(raw);
    std::unique_ptr<pv_faiss_index> h(new pv_faiss_index());
    h->index = std::move(owned);
    inspect(h.get());
    return h.release();
}

// Runs a search under the lock protocol described on pv_faiss_index::lock.
template <class Body>
void with_ef_search(pv_faiss_index *h, int32_t ef_search, Body &&body) {
    if (h->hnsw && ef_search > 0) {
        {
            std::shared_lock<std::shared_mutex> shared(h->lock);
            if (h->hnsw->hnsw.efSearch == ef_search) {
                body();
                return;
            }
        }
        std::unique_lock<std::shared_mutex> exclusive(h->lock);
        h->hnsw->hnsw.efSearch = ef_search;
        body();
        return;
    }
    std::shared_lock<std::shared_mutex> shared(h->lock);
    body();
}

void check_request(int32_t ef_search, int32_t nprobe, const uint64_t *allow, int64_t allow_nbits) {
    require(ef_search >= 0, "ef_search must be >= 0");
    require(nprobe >= 0, "nprobe must be >= 0");
    require(allow == nullptr || allow_nbits >= 0, "allow_nbits must be >= 0");
}

// Efforts beyond what the index holds buy nothing, and FAISS sizes buffers by them (efSearch = 2^31
// is a std::bad_alloc mid-search, nprobe = 2^31 a 16 GiB allocation): clamp them to the index.
struct Efforts {
    int32_t ef_search;
    int32_t nprobe;
};

Efforts clamp_efforts(pv_faiss_index *h, int32_t ef_search, int32_t nprobe, int64_t k) {
    int64_t ntotal, current_ef = 0;
    {
        std::shared_lock<std::shared_mutex> shared(h->lock);
        ntotal = h->index->ntotal;
        if (h->hnsw) current_ef = h->hnsw->hnsw.efSearch;
    }
    Efforts e{ef_search, nprobe};
    int64_t ef_cap = std::min<int64_t>(std::max<int64_t>(k, ntotal), INT_MAX);
    if (e.ef_search > ef_cap) e.ef_search = (int32_t)ef_cap;
    // A beam narrower than k returns fewer than k hits (FAISS does not widen it): widen it to k.
    if (h->hnsw && (e.ef_search > 0 ? e.ef_search : current_ef) < std::min<int64_t>(k, ef_cap)) {
        e.ef_search = (int32_t)std::min<int64_t>(k, ef_cap);
    }
    if (h->ivf && (size_t)e.nprobe > h->ivf->nlist) e.nprobe = (int32_t)std::min<size_t>(h->ivf->nlist, INT_MAX);
    return e;
}

// Standalone encode/decode are const in FAISS and read only trained state: a shared lock suffices.
template <class Body>
int32_t with_standalone_codec(pv_faiss_index *index, int64_t n, const void *in, void *out, char *err, int64_t errcap,
                              Body &&body) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(index != nullptr, "index is NULL");
        require(n >= 0 && (n == 0 || (in != nullptr && out != nullptr)), "n must be >= 0, x and codes non-NULL");
        std::shared_lock<std::shared_mutex> shared(index->lock);
        require(index->index->is_trained, "the index is not trained");
        require_standalone_codec(index->index.get());
        if (n > 0) body(index->index.get());
        return PV_OK;
    });
}

} // namespace

extern "C" {

int32_t pv_faiss_index_factory(int64_t dim, const char *spec, int32_t metric, pv_faiss_index **out,
                               char *err, int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(out != nullptr, "out is NULL");
        *out = nullptr;
        require(spec != nullptr, "spec is NULL");
        require(dim > 0 && dim <= INT_MAX, "dim must be in [1, 2^31)");
        faiss::MetricType mt = checked_metric(metric);
        *out = wrap(faiss::index_factory((int)dim, spec, mt));
        return PV_OK;
    });
}

void pv_faiss_index_free(pv_faiss_index *index) {
    try {
        delete index;
    } catch (...) {
        // destructors of FAISS indexes do not throw; nothing sensible to report here
    }
}

int64_t pv_faiss_index_dim(pv_faiss_index *index) {
    return index ? index->index->d : -1;
}

int64_t pv_faiss_index_ntotal(pv_faiss_index *index) {
    if (!index) return -1;
    try {
        std::shared_lock<std::shared_mutex> shared(index->lock);
        return index->index->ntotal;
    } catch (...) {
        return -1;
    }
}

int32_t pv_faiss_index_is_trained(pv_faiss_index *index) {
    if (!index) return -1;
    try {
        std::shared_lock<std::shared_mutex> shared(index->lock);
        return index->index->is_trained ? 1 : 0;
    } catch (...) {
        return -1;
    }
}

int32_t pv_faiss_index_metric(pv_faiss_index *index) {
    if (!index) return -1;
    switch (index->index->metric_type) {
        case faiss::METRIC_INNER_PRODUCT: return PV_METRIC_IP;
        case faiss::METRIC_L2: return PV_METRIC_L2;
        default: return -1;
    }
}

int32_t pv_faiss_index_features(pv_faiss_index *index) {
    return index ? index->features : 0;
}

int32_t pv_faiss_index_train(pv_faiss_index *index, int64_t n, const float *x, char *err, int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(index != nullptr, "index is NULL");
        require(n > 0 && x != nullptr, "train needs n > 0 vectors");
        std::unique_lock<std::shared_mutex> exclusive(index->lock);
        index->index->train(n, x);
        return PV_OK;
    });
}

int32_t pv_faiss_index_set_ef_construction(pv_faiss_index *index, int32_t ef_construction, char *err,
                                           int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(index != nullptr, "index is NULL");
        require(ef_construction >= 1, "efConstruction must be >= 1");
        if (index->hnsw == nullptr) throw pv_failure(PV_EUNSUPPORTED, "index has no HNSW layer");
        std::unique_lock<std::shared_mutex> exclusive(index->lock);
        index->hnsw->hnsw.efConstruction = ef_construction;
        return PV_OK;
    });
}

int32_t pv_faiss_index_add(pv_faiss_index *index, int64_t n, const float *x, char *err, int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(index != nullptr, "index is NULL");
        require(n >= 0 && (n == 0 || x != nullptr), "n must be >= 0 and x non-NULL");
        if (n == 0) return PV_OK;
        std::unique_lock<std::shared_mutex> exclusive(index->lock);
        index->index->add(n, x);
        return PV_OK;
    });
}

int32_t pv_faiss_index_add_with_ids(pv_faiss_index *index, int64_t n, const float *x, const int64_t *ids,
                                    char *err, int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(index != nullptr, "index is NULL");
        require(n >= 0 && (n == 0 || (x != nullptr && ids != nullptr)), "n must be >= 0, x and ids non-NULL");
        if (n == 0) return PV_OK;
        std::unique_lock<std::shared_mutex> exclusive(index->lock);
        index->index->add_with_ids(n, x, reinterpret_cast<const idx_t *>(ids));
        return PV_OK;
    });
}

int32_t pv_faiss_index_remove_ids(pv_faiss_index *index, int64_t n, const int64_t *ids, int64_t *nremoved,
                                  char *err, int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(index != nullptr, "index is NULL");
        require(nremoved != nullptr, "nremoved is NULL");
        require(n >= 0 && (n == 0 || ids != nullptr), "n must be >= 0 and ids non-NULL");
        *nremoved = 0;
        faiss::IDSelectorBatch sel((size_t)n, reinterpret_cast<const idx_t *>(ids));
        std::unique_lock<std::shared_mutex> exclusive(index->lock);
        *nremoved = (int64_t)index->index->remove_ids(sel);
        return PV_OK;
    });
}

int32_t pv_faiss_index_search(pv_faiss_index *index, int64_t n, const float *x, int64_t k, int32_t ef_search,
                              int32_t nprobe, const uint64_t *allow, int64_t allow_nbits, float *distances,
                              int64_t *labels, char *err, int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(index != nullptr, "index is NULL");
        require(n >= 0 && k > 0, "n must be >= 0 and k > 0");
        require(n == 0 || (x != nullptr && distances != nullptr && labels != nullptr), "NULL buffer");
        check_request(ef_search, nprobe, allow, allow_nbits);
        if (n == 0) return PV_OK;
        Efforts e = clamp_efforts(index, ef_search, nprobe, k);
        std::unique_ptr<AllowBitmap> sel(allow ? new AllowBitmap(allow, allow_nbits) : nullptr);
        Request r{e.nprobe, sel.get()};
        with_ef_search(index, e.ef_search, [&] {
            knn(index->index.get(), n, x, k, distances, reinterpret_cast<idx_t *>(labels), r);
        });
        return PV_OK;
    });
}

int32_t pv_faiss_index_range_search(pv_faiss_index *index, int64_t n, const float *x, float radius,
                                    int32_t ef_search, int32_t nprobe, const uint64_t *allow,
                                    int64_t allow_nbits, pv_faiss_range_result **out, char *err,
                                    int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(out != nullptr, "out is NULL");
        *out = nullptr;
        require(index != nullptr, "index is NULL");
        require(n >= 0 && (n == 0 || x != nullptr), "n must be >= 0 and x non-NULL");
        check_request(ef_search, nprobe, allow, allow_nbits);
        std::unique_ptr<pv_faiss_range_result> result(new pv_faiss_range_result());
        result->nq = n;
        result->lims.assign((size_t)n + 1, 0);
        if (n > 0) {
            Efforts e = clamp_efforts(index, ef_search, nprobe, 1);
            std::unique_ptr<AllowBitmap> sel(allow ? new AllowBitmap(allow, allow_nbits) : nullptr);
            Request r{e.nprobe, sel.get()};
            faiss::RangeSearchResult raw(n);
            with_ef_search(index, e.ef_search, [&] { range(index->index.get(), n, x, radius, &raw, r); });
            // Sorted best first (ties by id) so callers see results like a k-NN search's.
            bool larger_better = index->index->metric_type == faiss::METRIC_INNER_PRODUCT;
            size_t total = raw.lims[n];
            result->labels.resize(total);
            result->distances.resize(total);
            std::vector<size_t> order;
            for (int64_t q = 0; q < n; q++) {
                size_t lo = raw.lims[q], hi = raw.lims[q + 1];
                order.resize(hi - lo);
                std::iota(order.begin(), order.end(), lo);
                std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
                    float da = raw.distances[a], db = raw.distances[b];
                    if (da != db) return larger_better ? da > db : da < db;
                    return raw.labels[a] < raw.labels[b];
                });
                for (size_t j = 0; j < order.size(); j++) {
                    result->labels[lo + j] = raw.labels[order[j]];
                    result->distances[lo + j] = raw.distances[order[j]];
                }
                result->lims[q + 1] = (int64_t)hi;
            }
        }
        *out = result.release();
        return PV_OK;
    });
}

int64_t pv_faiss_range_result_nq(const pv_faiss_range_result *result) {
    return result ? result->nq : -1;
}

int64_t pv_faiss_range_result_size(const pv_faiss_range_result *result) {
    return result ? (int64_t)result->labels.size() : -1;
}

void pv_faiss_range_result_copy(const pv_faiss_range_result *result, int64_t *lims, int64_t *labels,
                                float *distances) {
    if (!result) return;
    if (lims) std::copy(result->lims.begin(), result->lims.end(), lims);
    if (labels) std::copy(result->labels.begin(), result->labels.end(), labels);
    if (distances) std::copy(result->distances.begin(), result->distances.end(), distances);
}

void pv_faiss_range_result_free(pv_faiss_range_result *result) {
    delete result;
}

int64_t pv_faiss_index_sa_code_size(pv_faiss_index *index) {
    if (!index) return -1;
    try {
        std::shared_lock<std::shared_mutex> shared(index->lock);
        return (int64_t)index->index->sa_code_size();
    } catch (...) {
        return -1; // FAISS throws for indexes without a standalone codec
    }
}

int32_t pv_faiss_index_sa_encode(pv_faiss_index *index, int64_t n, const float *x, uint8_t *codes, char *err,
                                 int64_t errcap) {
    return with_standalone_codec(index, n, x, codes, err, errcap, [&](faiss::Index *idx) { idx->sa_encode(n, x, codes); });
}

int32_t pv_faiss_index_sa_decode(pv_faiss_index *index, int64_t n, const uint8_t *codes, float *x, char *err,
                                 int64_t errcap) {
    return with_standalone_codec(index, n, codes, x, err, errcap, [&](faiss::Index *idx) { idx->sa_decode(n, codes, x); });
}

int32_t pv_faiss_index_write(pv_faiss_index *index, const char *path, char *err, int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(index != nullptr && path != nullptr, "index or path is NULL");
        std::shared_lock<std::shared_mutex> shared(index->lock);
        try {
            faiss::write_index(index->index.get(), path);
        } catch (const std::bad_alloc &) {
            throw;
        } catch (const std::exception &e) {
            throw pv_failure(PV_EIO, e.what());
        }
        return PV_OK;
    });
}

int32_t pv_faiss_index_read(const char *path, pv_faiss_index **out, char *err, int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(out != nullptr, "out is NULL");
        *out = nullptr;
        require(path != nullptr, "path is NULL");
        FILE *probe = std::fopen(path, "rb");
        if (!probe) throw pv_failure(PV_EIO, std::string("cannot open ") + path + " for reading");
        std::fclose(probe);
        std::unique_ptr<faiss::Index> read;
        try {
            read.reset(faiss::read_index(path));
            pv_faiss_check_structure(read.get()); // before anything searches what the file claims
        } catch (const std::bad_alloc &) {
            throw pv_failure(PV_ECORRUPT, std::string(path) + ": its counts ask for more memory than there is (corrupt?)");
        } catch (const std::exception &e) {
            throw pv_failure(PV_ECORRUPT, std::string(path) + ": " + e.what());
        }
        *out = wrap(read.release());
        return PV_OK;
    });
}

int32_t pv_faiss_store_create(int64_t dim, int32_t metric, int32_t hnsw_m, pv_faiss_index **out, char *err,
                              int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(out != nullptr, "out is NULL");
        *out = nullptr;
        require(dim > 0 && dim <= INT_MAX, "dim must be in [1, 2^31)");
        require(hnsw_m == 0 || (hnsw_m >= 2 && hnsw_m <= 512), "hnsw_m must be 0 (flat) or in 2..512");
        faiss::MetricType mt = checked_metric(metric);
        std::unique_ptr<PvStoreRows> rows(new PvStoreRows((int)dim, mt));
        std::unique_ptr<faiss::Index> index;
        if (hnsw_m == 0) {
            index = std::move(rows);
        } else {
            std::unique_ptr<faiss::IndexHNSW> h(new faiss::IndexHNSW(rows.get(), hnsw_m));
            h->own_fields = true; // frees the rows object (a chunk table), never the store's rows
            rows.release();
            index = std::move(h);
        }
        *out = wrap(index.release());
        return PV_OK;
    });
}

int32_t pv_faiss_store_add(pv_faiss_index *index, const pv_vectors *rows, char *err, int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(index != nullptr && rows != nullptr, "index or rows is NULL");
        if (index->store == nullptr) throw pv_failure(PV_EUNSUPPORTED, "the index holds its own vectors, not store rows");
        std::unique_lock<std::shared_mutex> exclusive(index->lock);
        PvStoreRows *s = index->store;
        try {
            s->bind(rows);
        } catch (const std::runtime_error &e) {
            throw pv_failure(PV_EINVAL, e.what());
        }
        // One add per chunk: FAISS reads the new rows (as build queries) from x, which must be contiguous.
        while (index->index->ntotal < rows->count) {
            int64_t have = index->index->ntotal;
            int64_t chunk_end = ((have >> s->chunk_log2) + 1) << s->chunk_log2;
            index->index->add(std::min<int64_t>(rows->count, chunk_end) - have, s->row(have));
        }
        return PV_OK;
    });
}

int32_t pv_faiss_store_write(pv_faiss_index *index, const char *path, char *err, int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(index != nullptr && path != nullptr, "index or path is NULL");
        if (index->store == nullptr) throw pv_failure(PV_EUNSUPPORTED, "the index holds its own vectors: pv_faiss_index_write");
        std::shared_lock<std::shared_mutex> shared(index->lock);
        try {
            pv_store_links_write(index->index.get(), path);
        } catch (const std::bad_alloc &) {
            throw;
        } catch (const std::exception &e) {
            throw pv_failure(PV_EIO, e.what());
        }
        return PV_OK;
    });
}

int32_t pv_faiss_store_read(const char *path, int64_t dim, int32_t metric, const pv_vectors *rows, pv_faiss_index **out,
                            char *err, int64_t errcap) {
    return guarded(err, errcap, [&]() -> int32_t {
        require(out != nullptr, "out is NULL");
        *out = nullptr;
        require(path != nullptr && rows != nullptr, "path or rows is NULL");
        require(dim > 0 && dim <= INT_MAX, "dim must be in [1, 2^31)");
        FILE *probe = std::fopen(path, "rb");
        if (!probe) throw pv_failure(PV_EIO, std::string("cannot open ") + path + " for reading");
        std::fclose(probe);
        faiss::MetricType mt = checked_metric(metric);
        std::unique_ptr<faiss::Index> read;
        try {
            read.reset(pv_store_links_read(path, dim, mt, rows));
        } catch (const std::bad_alloc &) {
            throw pv_failure(PV_ECORRUPT, std::string(path) + ": its counts ask for more memory than there is (corrupt?)");
        } catch (const std::exception &e) {
            throw pv_failure(PV_ECORRUPT, std::string(path) + ": " + e.what());
        }
        *out = wrap(read.release());
        return PV_OK;
    });
}

int32_t pv_faiss_set_omp_threads(int32_t n) {
    if (n < 0) return PV_EINVAL;
    g_omp_threads.store(n, std::memory_order_relaxed);
    return PV_OK;
}

int32_t pv_faiss_get_omp_threads(void) {
    return g_omp_threads.load(std::memory_order_relaxed);
}

} // extern "C"
