/* Memory for an embedding table's resident rows (java-api's ResidentRows, EmbeddingTable.openReadOnly with
 * Residency.HUGE_PAGES): anonymous, 2 MiB-aligned and advised for transparent huge pages before any page is
 * touched. A batch look-up reads rows in no order, so over a table far larger than the TLB's reach every row costs
 * a page walk with 4 kB pages (two levels of them in a VM); with 2 MiB pages a 170 MB table needs 85 entries. The
 * advice must precede the first touch: a page faulted in small stays small until khugepaged gets to it. */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

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

/* The 2 MiB page advice of a read-only table's file mappings (pv_emb_advise_mapped, panavec.def). Page-cache pages
 * read through a MADV_HUGEPAGE mapping are read as 2 MiB folios (on file systems with large folios: xfs, ext4 on the
 * Linux 6.18 measured), which map with one PMD entry where the mapping's address and file offset agree modulo 2 MiB (the
 * kernel picks such an address for a file mapping of >= 2 MiB). Pages already cached in small folios stay small:
 * MADV_COLLAPSE (Linux 6.1+) rebuilds them as 2 MiB folios, for regular files only on kernels built with
 * CONFIG_READ_ONLY_THP_FOR_FS and with no writer holding the file open; elsewhere it fails with EINVAL, which
 * stops the attempt. Only 2 MiB ranges wholly in the page cache are collapsed (mincore), so the call reads nothing
 * from disk. */
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

int64_t pv_emb_advise_mapped(void *addr, int64_t bytes, int32_t collapse) {
    if (addr == NULL || bytes < 1) return -1;
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    const uintptr_t start = (uintptr_t)addr & ~(page - 1), end = (uintptr_t)addr + (uintptr_t)bytes;
#ifdef MADV_HUGEPAGE
    if (madvise((void *)start, end - start, MADV_HUGEPAGE) != 0) return -1;
#else
    return -1;
#endif
    if (!collapse) return 0;
    int64_t collapsed = 0;
    unsigned char resident[512]; /* one byte per 4 kB page of a 2 MiB range */
    if (page != 4096) return 0;
    for (uintptr_t at = (start + (uintptr_t)PV_HUGE - 1) & ~(uintptr_t)(PV_HUGE - 1); at + (uintptr_t)PV_HUGE <= end; at += (uintptr_t)PV_HUGE) {
        if (mincore((void *)at, (size_t)PV_HUGE, resident) != 0) return collapsed;
        int all = 1;
        for (int i = 0; i < 512 && all; i++) all = resident[i] & 1;
        if (!all) continue;
        if (madvise((void *)at, (size_t)PV_HUGE, MADV_COLLAPSE) == 0) {
            collapsed += PV_HUGE;
        } else if (errno == EINVAL || errno == ENOSYS || errno == EPERM) {
            return collapsed; /* the kernel does not collapse this mapping: nothing further will */
        }
    }
    return collapsed;
}
