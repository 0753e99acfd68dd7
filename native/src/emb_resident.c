/* Memory for an embedding table's resident rows (java-api's ResidentRows, EmbeddingTable.openReadOnly with
 * Residency.HUGE_PAGES): anonymous, 2 MiB-aligned and advised for transparent huge pages before any page is
 * touched. A batch look-up reads rows in no order, so over a table far larger than the TLB's reach every row costs
 * a page walk with 4 kB pages (two levels of them in a VM); with 2 MiB pages a 170 MB table needs 85 entries. The
 * advice must precede the first touch: a page faulted in small stays small until khugepaged gets to it. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#include "panavec_embedding.h"

#define PV_HUGE (INT64_C(2) << 20)

static int64_t huge_round(int64_t bytes) {
    return (bytes + PV_HUGE - 1) & ~(PV_HUGE - 1);
}

int32_t pv_emb_resident_alloc(int64_t bytes, void **out) {
    *out = NULL;
    if (bytes < 1 || bytes > (INT64_C(1) << 46)) return -1;
    const int64_t len = huge_round(bytes);
    /* over-map by one huge page, then trim both ends so that what stays starts on a 2 MiB boundary */
    uint8_t *raw = mmap(NULL, (size_t)(len + PV_HUGE), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED) return -1;
    uint8_t *p = (uint8_t *)(((uintptr_t)raw + (uintptr_t)PV_HUGE - 1) & ~((uintptr_t)PV_HUGE - 1));
    if (p > raw) munmap(raw, (size_t)(p - raw));
    if (raw + len + PV_HUGE > p + len) munmap(p + len, (size_t)(raw + len + PV_HUGE - (p + len)));
    *out = p;
#ifdef MADV_HUGEPAGE
    return madvise(p, (size_t)len, MADV_HUGEPAGE) == 0 ? 1 : 0;
#else
    return 0;
#endif
}

int32_t pv_emb_resident_free(void *p, int64_t bytes) {
    if (p == NULL || bytes < 1 || ((uintptr_t)p & (uintptr_t)(PV_HUGE - 1)) != 0) return -1;
    return munmap(p, (size_t)huge_round(bytes)) == 0 ? 0 : -1;
}
