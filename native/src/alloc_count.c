/*
 * Counts the heap memory libpanavec owns: every malloc / calloc / realloc / aligned allocation / free made by
 * the library's own code, the FAISS shim, and the statically linked FAISS, OpenBLAS and libstdc++ (whose
 * operator new and delete call malloc and free) goes through these wrappers, because the link wraps those
 * symbols (-Wl,--wrap=malloc ..., CMakeLists.txt). The JVM's and other libraries' allocations call glibc
 * directly and are not counted, so the figure is what a leak of this library would grow and nothing else:
 * pv_alloc_live_bytes() back at its baseline after N open/close cycles means no native object of the library
 * was left behind (LeakLoopTest). Sizes are malloc_usable_size, read at allocation and again at free.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "panavec.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t count, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
int __real_posix_memalign(void **out, size_t alignment, size_t n);
void *__real_aligned_alloc(size_t alignment, size_t n);
void *__real_memalign(size_t alignment, size_t n);

static _Atomic int64_t live_bytes, live_blocks;

static void *counted(void *p) {
    if (p != NULL) {
        atomic_fetch_add_explicit(&live_bytes, (int64_t)malloc_usable_size(p), memory_order_relaxed);
        atomic_fetch_add_explicit(&live_blocks, 1, memory_order_relaxed);
    }
    return p;
}

static void uncount(void *p) {
    if (p != NULL) {
        atomic_fetch_sub_explicit(&live_bytes, (int64_t)malloc_usable_size(p), memory_order_relaxed);
        atomic_fetch_sub_explicit(&live_blocks, 1, memory_order_relaxed);
    }
}

void *__wrap_malloc(size_t n) { return counted(__real_malloc(n)); }

void *__wrap_calloc(size_t count, size_t n) { return counted(__real_calloc(count, n)); }

void *__wrap_realloc(void *p, size_t n) {
    if (p == NULL) return counted(__real_realloc(NULL, n));
    size_t before = malloc_usable_size(p);
    void *q = __real_realloc(p, n);
    if (q == NULL) {
        if (n == 0) { /* glibc frees p and returns NULL for realloc(p, 0) */
            atomic_fetch_sub_explicit(&live_bytes, (int64_t)before, memory_order_relaxed);
            atomic_fetch_sub_explicit(&live_blocks, 1, memory_order_relaxed);
        }
        return NULL; /* otherwise p is untouched */
    }
    atomic_fetch_add_explicit(&live_bytes, (int64_t)malloc_usable_size(q) - (int64_t)before, memory_order_relaxed);
    return q;
}

void __wrap_free(void *p) {
    uncount(p);
    __real_free(p);
}

int __wrap_posix_memalign(void **out, size_t alignment, size_t n) {
    int rc = __real_posix_memalign(out, alignment, n);
    if (rc == 0) counted(*out);
    return rc;
}

void *__wrap_aligned_alloc(size_t alignment, size_t n) { return counted(__real_aligned_alloc(alignment, n)); }

void *__wrap_memalign(size_t alignment, size_t n) { return counted(__real_memalign(alignment, n)); }

/* strdup and strndup allocate inside glibc, unwrapped; the copies are freed through the wrapped free. */
char *__wrap_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = __wrap_malloc(n);
    if (p != NULL) memcpy(p, s, n);
    return p;
}

char *__wrap_strndup(const char *s, size_t max) {
    size_t n = strnlen(s, max);
    char *p = __wrap_malloc(n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

int64_t pv_alloc_live_bytes(void) { return atomic_load_explicit(&live_bytes, memory_order_relaxed); }

int64_t pv_alloc_live_blocks(void) { return atomic_load_explicit(&live_blocks, memory_order_relaxed); }
