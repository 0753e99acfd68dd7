/*
 * HNSW file format (little-endian), version 1:
 *   header (88 bytes): magic "PVHNSW\0\0", u32 version, u32 header_bytes, i32 dim, i32 metric, i32 M,
 *     i32 ef_construction, i64 count, i64 n_deleted, u64 seed, i32 entry (-1: empty), i32 top_level,
 *     u32 reserved, u32 reserved, u64 body_bytes, u32 body_crc32c, u32 header_crc32c (of bytes 0..83)
 *   body: u8 level[count], u8 deleted[count], zero pad to 4 bytes, u32 level-0 lists[count][1 + 2M],
 *     then for each node with level > 0 in row order: u32 lists[level][1 + M].
 * A list is [n, id_0 .. id_{n-1}, unused...]. Load checks every field and every id, so even a file
 * whose checksum was forged cannot make a search read out of bounds.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hnsw_internal.h"
#include "pv_internal.h"

#define HNSW_MAGIC "PVHNSW\0\0"
#define HNSW_HEADER_BYTES 88

typedef struct {
    char magic[8];
    uint32_t version, header_bytes;
    int32_t dim, metric, m, ef_construction;
    int64_t count, n_deleted;
    uint64_t seed;
    int32_t entry, top_level;
    uint32_t reserved0, reserved1;
    uint64_t body_bytes;
    uint32_t body_crc, header_crc;
} hnsw_file_header;
_Static_assert(sizeof(hnsw_file_header) == HNSW_HEADER_BYTES, "header layout");

static int64_t pad4(int64_t n) { return (4 - (n & 3)) & 3; }

/* Buffered writer that checksums what it writes. */
typedef struct {
    FILE *f;
    uint32_t crc;
    int64_t bytes;
    int failed;
} crc_writer;

static void put(crc_writer *w, const void *p, int64_t n) {
    if (w->failed || n == 0) return;
    w->crc = pv_crc32c(w->crc, p, n);
    w->bytes += n;
    if (fwrite(p, 1, (size_t)n, w->f) != (size_t)n) w->failed = 1;
}

/* Opens path (both of them non-NULL, else PV_EINVAL naming what) or says why it cannot. */
static int32_t open_file(const void *object, const char *what, const char *path, const char *mode, FILE **f, char *err,
                         int64_t errcap) {
    if (object == NULL || path == NULL) {
        pv_set_err(err, errcap, "%s and path must not be NULL", what);
        return PV_EINVAL;
    }
    *f = fopen(path, mode);
    if (*f == NULL) {
        pv_set_err(err, errcap, "cannot open %s%s: %s", path, mode[0] == 'w' ? " for writing" : "", strerror(errno));
        return PV_EIO;
    }
    return PV_OK;
}

int32_t pv_hnsw_save(const pv_hnsw *h, const char *path, char *err, int64_t errcap) {
    FILE *f;
    int32_t rc = open_file(h, "index", path, "wb", &f, err, errcap);
    if (rc != PV_OK) return rc;
    int64_t count = __atomic_load_n(&h->count, __ATOMIC_ACQUIRE);
    uint64_t e = __atomic_load_n(&h->entry, __ATOMIC_ACQUIRE);
    hnsw_file_header hd;
    memset(&hd, 0, sizeof hd);
    memcpy(hd.magic, HNSW_MAGIC, 8);
    hd.version = PV_HNSW_FORMAT_VERSION;
    hd.header_bytes = HNSW_HEADER_BYTES;
    hd.dim = h->dim;
    hd.metric = h->metric;
    hd.m = h->m;
    hd.ef_construction = h->ef_construction;
    hd.count = count;
    hd.seed = h->seed;
    hd.entry = e == HNSW_NO_ENTRY ? -1 : (int32_t)(uint32_t)e;
    hd.top_level = e == HNSW_NO_ENTRY ? 0 : (int32_t)(e >> 32);
    crc_writer w = {f, 0, 0, 0};
    if (fwrite(&hd, 1, sizeof hd, f) != sizeof hd) w.failed = 1; /* rewritten once the body is known */
    int64_t n_deleted = 0;
    for (int64_t r = 0; r < count; r++) put(&w, &h->blocks[r >> HNSW_BLOCK_LOG2]->level[r & HNSW_BLOCK_MASK], 1);
    for (int64_t r = 0; r < count; r++) {
        uint8_t d = __atomic_load_n(&h->blocks[r >> HNSW_BLOCK_LOG2]->deleted[r & HNSW_BLOCK_MASK], __ATOMIC_RELAXED);
        n_deleted += d;
        put(&w, &d, 1);
    }
    static const uint8_t zeros[4];
    put(&w, zeros, pad4(2 * count));
    for (int64_t r = 0; r < count; r += HNSW_BLOCK_NODES) {
        int64_t n = count - r < HNSW_BLOCK_NODES ? count - r : HNSW_BLOCK_NODES;
        put(&w, h->blocks[r >> HNSW_BLOCK_LOG2]->links0, n * h->stride0 * (int64_t)sizeof(uint32_t));
    }
    for (int64_t r = 0; r < count; r++) {
        hnsw_block *b = h->blocks[r >> HNSW_BLOCK_LOG2];
        uint32_t i = (uint32_t)r & HNSW_BLOCK_MASK;
        if (b->level[i] > 0) put(&w, b->upper[i], (int64_t)b->level[i] * h->stride_up * (int64_t)sizeof(uint32_t));
    }
    hd.n_deleted = n_deleted;
    hd.body_bytes = (uint64_t)w.bytes;
    hd.body_crc = w.crc;
    hd.header_crc = pv_crc32c(0, &hd, offsetof(hnsw_file_header, header_crc));
    if (!w.failed && (fseek(f, 0, SEEK_SET) != 0 || fwrite(&hd, 1, sizeof hd, f) != sizeof hd)) w.failed = 1;
    int close_failed = fclose(f) != 0;
    if (w.failed || close_failed) {
        pv_set_err(err, errcap, "cannot write %s: %s", path, strerror(errno));
        return PV_EIO;
    }
    return PV_OK;
}

static int32_t corrupt(char *err, int64_t errcap, const char *path, const char *why) {
    pv_set_err(err, errcap, "%s is not a usable panavec HNSW file: %s", path, why);
    return PV_ECORRUPT;
}

/* Checks one list read from a file: length within cap, ids within count and tall enough. */
static int list_ok(const uint32_t *list, int cap, int level, const uint8_t *levels, int64_t count) {
    if (list[0] > (uint32_t)cap) return 0;
    for (uint32_t j = 0; j < list[0]; j++) {
        uint32_t id = list[1 + j];
        if ((int64_t)id >= count || levels[id] < level) return 0;
    }
    return 1;
}

int32_t pv_hnsw_load(const char *path, int32_t expected_dim, int32_t expected_metric, pv_hnsw **out, char *err,
                     int64_t errcap) {
    if (out != NULL) *out = NULL;
    FILE *f;
    int32_t rc = open_file(out, "out", path, "rb", &f, err, errcap);
    if (rc != PV_OK) return rc;
    hnsw_file_header hd;
    uint8_t *body = NULL;
    pv_hnsw *h = NULL;
    rc = PV_OK;
    char why[200];
    if (fread(&hd, 1, sizeof hd, f) != sizeof hd) {
        rc = corrupt(err, errcap, path, "shorter than the header (truncated?)");
        goto done;
    }
    if (memcmp(hd.magic, HNSW_MAGIC, 8) != 0) {
        rc = corrupt(err, errcap, path, "bad magic");
        goto done;
    }
    if (hd.version != PV_HNSW_FORMAT_VERSION || hd.header_bytes != HNSW_HEADER_BYTES) {
        snprintf(why, sizeof why, "format version %u, this library reads version %d", hd.version,
                 PV_HNSW_FORMAT_VERSION);
        rc = corrupt(err, errcap, path, why);
        goto done;
    }
    if (pv_crc32c(0, &hd, offsetof(hnsw_file_header, header_crc)) != hd.header_crc) {
        rc = corrupt(err, errcap, path, "header checksum mismatch");
        goto done;
    }
    if (hd.dim != expected_dim || hd.metric != expected_metric) {
        snprintf(why, sizeof why, "it holds dim %d metric %d, expected dim %d metric %d", hd.dim, hd.metric,
                 expected_dim, expected_metric);
        rc = corrupt(err, errcap, path, why);
        goto done;
    }
    if (hd.dim < 1 || (hd.metric != PV_METRIC_IP && hd.metric != PV_METRIC_L2) || hd.m < 2 || hd.m > PV_HNSW_MAX_M ||
        hd.ef_construction < 1 || hd.count < 0 || hd.count > PV_HNSW_MAX_ROWS || hd.entry < -1 ||
        hd.entry >= hd.count || (hd.entry == -1 && hd.count > 0 && hd.n_deleted != hd.count) ||
        hd.top_level < 0 || hd.top_level > HNSW_MAX_LEVEL) {
        rc = corrupt(err, errcap, path, "header fields out of range");
        goto done;
    }
    int64_t count = hd.count, stride0 = 1 + 2 * (int64_t)hd.m, stride_up = 1 + (int64_t)hd.m;
    int64_t fixed = 2 * count + pad4(2 * count) + count * stride0 * 4;
    if (hd.body_bytes < (uint64_t)fixed || hd.body_bytes > (uint64_t)fixed + (uint64_t)count * HNSW_MAX_LEVEL * stride_up * 4) {
        rc = corrupt(err, errcap, path, "body size does not match the header");
        goto done;
    }
    body = malloc(hd.body_bytes ? hd.body_bytes : 1);
    if (body == NULL) {
        pv_set_err(err, errcap, "out of memory reading %s", path);
        rc = PV_ENOMEM;
        goto done;
    }
    if (fread(body, 1, hd.body_bytes, f) != hd.body_bytes) {
        rc = corrupt(err, errcap, path, "truncated body");
        goto done;
    }
    if (fgetc(f) != EOF) {
        rc = corrupt(err, errcap, path, "trailing bytes after the body");
        goto done;
    }
    if (pv_crc32c(0, body, (int64_t)hd.body_bytes) != hd.body_crc) {
        rc = corrupt(err, errcap, path, "body checksum mismatch");
        goto done;
    }
    const uint8_t *levels = body, *deleted = body + count;
    int64_t upper_words = 0, n_deleted = 0;
    for (int64_t r = 0; r < count; r++) {
        if (levels[r] > HNSW_MAX_LEVEL || levels[r] > hd.top_level || deleted[r] > 1) {
            rc = corrupt(err, errcap, path, "node level or tombstone out of range");
            goto done;
        }
        upper_words += levels[r] * stride_up;
        n_deleted += deleted[r];
    }
    if ((uint64_t)(fixed + upper_words * 4) != hd.body_bytes || n_deleted != hd.n_deleted ||
        (hd.entry >= 0 && levels[hd.entry] != hd.top_level)) {
        rc = corrupt(err, errcap, path, "levels do not match the body size or entry point");
        goto done;
    }
    h = hnsw_alloc(hd.dim, hd.metric, hd.m, hd.ef_construction, hd.seed);
    if (h == NULL || hnsw_ensure_blocks(h, count) != 0) {
        pv_set_err(err, errcap, "out of memory loading %s", path);
        rc = PV_ENOMEM;
        goto done;
    }
    const uint32_t *links = (const uint32_t *)(body + 2 * count + pad4(2 * count));
    const uint32_t *up = links + count * stride0;
    for (int64_t r = 0; r < count; r++) {
        hnsw_block *b = h->blocks[r >> HNSW_BLOCK_LOG2];
        uint32_t i = (uint32_t)r & HNSW_BLOCK_MASK;
        const uint32_t *l0 = links + r * stride0;
        if (!list_ok(l0, 2 * hd.m, 0, levels, count)) {
            snprintf(why, sizeof why, "bad level-0 links of row %lld", (long long)r);
            rc = corrupt(err, errcap, path, why);
            goto done;
        }
        memcpy(b->links0 + (size_t)i * (size_t)stride0, l0, (size_t)stride0 * 4);
        b->level[i] = levels[r];
        b->deleted[i] = deleted[r];
        if (levels[r] > 0) {
            for (int l = 1; l <= levels[r]; l++) {
                if (!list_ok(up + (l - 1) * stride_up, hd.m, l, levels, count)) {
                    snprintf(why, sizeof why, "bad level-%d links of row %lld", l, (long long)r);
                    rc = corrupt(err, errcap, path, why);
                    goto done;
                }
            }
            if (hnsw_alloc_upper(h, (uint32_t)r, levels[r]) != 0) {
                pv_set_err(err, errcap, "out of memory loading %s", path);
                rc = PV_ENOMEM;
                goto done;
            }
            memcpy(b->upper[i], up, (size_t)(levels[r] * stride_up) * 4);
            up += levels[r] * stride_up;
        }
    }
    h->count = count;
    h->n_deleted = n_deleted;
    h->entry = hd.entry < 0 ? HNSW_NO_ENTRY : ((uint64_t)hd.top_level << 32) | (uint32_t)hd.entry;
    *out = h;
    h = NULL;
done:
    fclose(f);
    free(body);
    pv_hnsw_free(h);
    return rc;
}
