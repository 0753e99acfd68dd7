// FAISS over panavec's store rows: the storage index (PvStoreRows) and the links file (the HNSW structure
// without the vectors). FAISS's own IndexFlat would copy every row into its codes, and write_index would
// write them again: a store plus a FAISS file held each vector twice on disk and in RAM.

#include "faiss_store.h"
#include "faiss_checks.h"

extern "C" {
#include "graph_distance.h"
}

#include <faiss/impl/FaissAssert.h>
#include <faiss/impl/IDSelector.h>

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

using idx_t = faiss::Index::idx_t;

namespace {

void need(bool ok, const std::string &what) {
    if (!ok) throw std::runtime_error(what);
}

int32_t pv_metric(faiss::MetricType m) {
    return m == faiss::METRIC_INNER_PRODUCT ? (int32_t)PV_METRIC_IP : (int32_t)PV_METRIC_L2;
}

// Graph distances come as "lower is closer" (-dot, squared L2); FAISS's distance computers give the metric's
// own value (IP larger is better) and IndexHNSW negates it for IP.
struct StoreDistance : faiss::DistanceComputer {
    const PvStoreRows &rows;
    graph_distance_fn fn;
    float sign;
    int64_t d;
    const float *q = nullptr;

    explicit StoreDistance(const PvStoreRows &r)
            : rows(r), fn(graph_distance_pick(pv_metric(r.metric_type))),
              sign(r.metric_type == faiss::METRIC_INNER_PRODUCT ? -1.0f : 1.0f), d(r.d) {}

    void set_query(const float *x) override {
        q = x;
    }

    float operator()(idx_t i) override {
        return sign * fn(q, rows.row(i), d);
    }

    float symmetric_dis(idx_t i, idx_t j) override {
        return sign * fn(rows.row(i), rows.row(j), d);
    }
};

constexpr char k_magic[4] = {'P', 'V', 'F', 'L'};
constexpr uint32_t k_version = 1;
constexpr int32_t k_kind_flat = 0;
constexpr int32_t k_kind_hnsw = 1;

struct Writer {
    FILE *f;
    const char *path;
    void bytes(const void *p, size_t n) {
        if (n > 0 && std::fwrite(p, 1, n, f) != n) throw std::runtime_error(std::string("cannot write ") + path);
    }
    template <class T> void value(T v) {
        bytes(&v, sizeof v);
    }
    template <class T> void vec(const std::vector<T> &v) {
        value<uint64_t>(v.size());
        bytes(v.data(), v.size() * sizeof(T));
    }
};

// Every count is checked against the bytes left before anything is allocated for it.
struct Reader {
    FILE *f;
    std::string path;
    uint64_t left;
    void bytes(void *p, size_t n) {
        need(n <= left, path + ": truncated (" + std::to_string(left) + " bytes left, " + std::to_string(n) + " needed)");
        if (n > 0 && std::fread(p, 1, n, f) != n) throw std::runtime_error(path + ": read failed");
        left -= n;
    }
    template <class T> T value() {
        T v;
        bytes(&v, sizeof v);
        return v;
    }
    template <class T> void vec(std::vector<T> &v, const char *what) {
        uint64_t n = value<uint64_t>();
        need(n <= left / sizeof(T), path + ": " + what + " claims " + std::to_string(n) + " entries, more than the file holds");
        v.resize((size_t)n);
        bytes(v.data(), (size_t)n * sizeof(T));
    }
};

struct FileCloser {
    void operator()(FILE *f) const {
        if (f) std::fclose(f);
    }
};

} // namespace

void PvStoreRows::bind(const pv_vectors *rows) {
    need(rows != nullptr, "rows is NULL");
    need(rows->dim == d, "the store has dimension " + std::to_string(rows->dim) + ", the index " + std::to_string(d));
    need(rows->elem_type == PV_ELEM_F32, "the store rows are not F32");
    need(rows->rows_per_chunk_log2 >= 0 && rows->rows_per_chunk_log2 <= 40, "bad rows per chunk");
    need(rows->count >= ntotal, "the store holds " + std::to_string(rows->count) + " rows, the index " + std::to_string(ntotal));
    int64_t nchunks = rows->count == 0 ? 0 : ((rows->count - 1) >> rows->rows_per_chunk_log2) + 1;
    need(nchunks == 0 || rows->chunks != nullptr, "rows has no chunk table");
    std::vector<const float *> table((size_t)nchunks);
    for (int64_t c = 0; c < nchunks; c++) {
        table[(size_t)c] = static_cast<const float *>(rows->chunks[c]);
        need(table[(size_t)c] != nullptr, "chunk " + std::to_string(c) + " is NULL");
    }
    // Rows already indexed must be the same memory: a view of another store (or mapping) is refused.
    if (ntotal > 0 && !chunks.empty()) {
        need(rows->rows_per_chunk_log2 == chunk_log2, "the store's chunking changed");
        int64_t used = ((ntotal - 1) >> chunk_log2) + 1;
        for (int64_t c = 0; c < used; c++) {
            need(table[(size_t)c] == chunks[(size_t)c], "the rows already indexed moved: another store?");
        }
    }
    chunks = std::move(table);
    chunk_log2 = rows->rows_per_chunk_log2;
    bound_rows = rows->count;
}

void PvStoreRows::add(idx_t n, const float *x) {
    FAISS_THROW_IF_NOT_MSG(n >= 0, "n < 0");
    if (n == 0) return;
    FAISS_THROW_IF_NOT_MSG(ntotal + n <= bound_rows, "adding rows past the store's bound rows");
    FAISS_THROW_IF_NOT_MSG(((ntotal + n - 1) >> chunk_log2) == (ntotal >> chunk_log2), "rows added at once must lie in one chunk");
    FAISS_THROW_IF_NOT_MSG(x == row(ntotal), "a store-backed index adds only the store's own next rows");
    ntotal += n;
}

void PvStoreRows::reset() {
    ntotal = 0;
}

void PvStoreRows::search(idx_t n, const float *x, idx_t k, float *distances, idx_t *labels,
                         const faiss::SearchParameters *params) const {
    FAISS_THROW_IF_NOT(k > 0);
    const faiss::IDSelector *sel = params ? params->sel : nullptr;
    std::vector<uint64_t> allow;
    if (sel) { // any selector (an id map translates ids) becomes the bitset the scan kernel reads
        allow.assign((size_t)((ntotal + 63) / 64) + 1, 0);
        for (idx_t i = 0; i < ntotal; i++) {
            if (sel->is_member(i)) allow[(size_t)(i >> 6)] |= uint64_t(1) << (i & 63);
        }
    }
    int32_t metric = pv_metric(metric_type);
    float missing = metric == PV_METRIC_IP ? -FLT_MAX : FLT_MAX;
    int64_t per_chunk = int64_t(1) << chunk_log2;
    for (idx_t q = 0; q < n; q++) {
        float *hs = distances + q * k;
        idx_t *hr = labels + q * k;
        int64_t size = 0;
        for (int64_t base = 0; base < ntotal; base += per_chunk) {
            int64_t m = std::min<int64_t>(per_chunk, ntotal - base);
            size = pv_f32_topk(metric, x + q * d, row(base), m, d, base, sel ? allow.data() : nullptr, k, hs,
                               reinterpret_cast<int64_t *>(hr), size);
        }
        pv_topk_sort(metric, hs, reinterpret_cast<int64_t *>(hr), size);
        for (int64_t j = size; j < k; j++) {
            hs[j] = missing;
            hr[j] = -1;
        }
    }
}

void PvStoreRows::reconstruct(idx_t key, float *recons) const {
    FAISS_THROW_IF_NOT_MSG(key >= 0 && key < ntotal, "row out of range");
    std::memcpy(recons, row(key), sizeof(float) * (size_t)d);
}

faiss::DistanceComputer *PvStoreRows::get_distance_computer() const {
    return new StoreDistance(*this);
}

PvStoreRows *pv_store_rows_of(faiss::Index *index) {
    if (auto *h = dynamic_cast<faiss::IndexHNSW *>(index)) return dynamic_cast<PvStoreRows *>(h->storage);
    return dynamic_cast<PvStoreRows *>(index);
}

void pv_store_links_write(const faiss::Index *index, const char *path) {
    auto *h = dynamic_cast<const faiss::IndexHNSW *>(index);
    const PvStoreRows *rows = pv_store_rows_of(const_cast<faiss::Index *>(index));
    need(rows != nullptr, "not an index over store rows");
    std::unique_ptr<FILE, FileCloser> f(std::fopen(path, "wb"));
    need(f != nullptr, std::string("cannot open ") + path + " for writing");
    Writer w{f.get(), path};
    w.bytes(k_magic, sizeof k_magic);
    w.value<uint32_t>(k_version);
    w.value<int32_t>(index->d);
    w.value<int32_t>(pv_metric(index->metric_type));
    w.value<int64_t>(index->ntotal);
    w.value<int32_t>(h ? k_kind_hnsw : k_kind_flat);
    if (h) {
        const faiss::HNSW &g = h->hnsw;
        w.value<int32_t>(g.efConstruction);
        w.value<int32_t>(g.efSearch);
        w.value<int32_t>(g.entry_point);
        w.value<int32_t>(g.max_level);
        w.value<int32_t>(g.upper_beam);
        w.vec(g.assign_probas);
        w.vec(g.cum_nneighbor_per_level);
        w.vec(g.levels);
        w.vec(g.offsets);
        w.vec(g.neighbors);
    }
    FILE *raw = f.release();
    need(std::fflush(raw) == 0 && std::fclose(raw) == 0, std::string("cannot write ") + path);
}

faiss::Index *pv_store_links_read(const char *path, int64_t dim, faiss::MetricType metric, const pv_vectors *rows) {
    std::unique_ptr<FILE, FileCloser> f(std::fopen(path, "rb"));
    need(f != nullptr, std::string("cannot open ") + path);
    need(std::fseek(f.get(), 0, SEEK_END) == 0, std::string(path) + ": cannot seek");
    long size = std::ftell(f.get());
    need(size >= 0 && std::fseek(f.get(), 0, SEEK_SET) == 0, std::string(path) + ": cannot seek");
    Reader r{f.get(), path, (uint64_t)size};
    char magic[4];
    r.bytes(magic, sizeof magic);
    need(std::memcmp(magic, k_magic, sizeof magic) == 0, r.path + ": not a panavec FAISS links file");
    uint32_t version = r.value<uint32_t>();
    need(version == k_version, r.path + ": links format version " + std::to_string(version) + " (this build reads "
                                   + std::to_string(k_version) + ")");
    int32_t d = r.value<int32_t>();
    need(d == dim, r.path + ": dimension " + std::to_string(d) + ", the store " + std::to_string(dim));
    int32_t m = r.value<int32_t>();
    need(m == pv_metric(metric), r.path + ": metric " + std::to_string(m) + ", the index " + std::to_string(pv_metric(metric)));
    int64_t ntotal = r.value<int64_t>();
    need(ntotal >= 0 && ntotal <= INT32_MAX, r.path + ": row count " + std::to_string(ntotal));
    int32_t kind = r.value<int32_t>();
    need(kind == k_kind_flat || kind == k_kind_hnsw, r.path + ": unknown kind " + std::to_string(kind));
    std::unique_ptr<PvStoreRows> store_rows(new PvStoreRows((int)dim, metric));
    store_rows->bind(rows);
    need(rows->count >= ntotal, r.path + ": " + std::to_string(ntotal) + " rows, the store holds " + std::to_string(rows->count));
    store_rows->ntotal = ntotal;
    std::unique_ptr<faiss::Index> index;
    if (kind == k_kind_flat) {
        index = std::move(store_rows);
    } else {
        std::unique_ptr<faiss::IndexHNSW> h(new faiss::IndexHNSW(store_rows.get(), 32));
        h->own_fields = true; // the rows object, not the rows: those stay the store's
        store_rows.release();
        h->ntotal = ntotal;
        faiss::HNSW &g = h->hnsw;
        g.efConstruction = r.value<int32_t>();
        g.efSearch = r.value<int32_t>();
        g.entry_point = r.value<int32_t>();
        g.max_level = r.value<int32_t>();
        g.upper_beam = r.value<int32_t>();
        need(g.efConstruction >= 1 && g.efSearch >= 1 && g.upper_beam >= 1, r.path + ": HNSW beams out of range");
        r.vec(g.assign_probas, "assign_probas");
        r.vec(g.cum_nneighbor_per_level, "cum_nneighbor_per_level");
        r.vec(g.levels, "levels");
        r.vec(g.offsets, "offsets");
        r.vec(g.neighbors, "neighbors");
        // random_level draws new nodes' levels from assign_probas: one probability per level of the table
        need(!g.assign_probas.empty() && g.assign_probas.size() + 1 == g.cum_nneighbor_per_level.size(),
             r.path + ": " + std::to_string(g.assign_probas.size()) + " level probabilities for "
                     + std::to_string(g.cum_nneighbor_per_level.size()) + " neighbour table entries");
        for (double p : g.assign_probas) need(p >= 0.0 && p <= 1.0, r.path + ": a level probability outside [0, 1]");
        index = std::move(h);
    }
    need(r.left == 0, r.path + ": " + std::to_string(r.left) + " bytes after the links");
    pv_faiss_check_structure(index.get());
    return index.release();
}
