/*
 * What the statically linked runtimes (libstdc++, libgcc's unwinder, OpenBLAS's LAPACK) would otherwise
 * take from libraries that are not glibc, or from glibc newer than panavec's floor (2.34):
 *  - _dl_find_object (GLIBC_2.35), which GCC 12's unwinder calls to find a frame's .eh_frame_hdr: the
 *    link wraps it (-Wl,--wrap=_dl_find_object) to this dl_iterate_phdr version;
 *  - arc4random (GLIBC_2.36), which libstdc++'s std::random_device may use: wrapped to getrandom;
 *  - _gfortran_concat_string, the one libgfortran routine LAPACK needs here (libgfortran.a cannot be
 *    linked into a shared library: its TLS uses the local-exec model).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>

typedef struct {
    uintptr_t pc;
    struct dl_find_object *out;
    int found;
} find_request;

static int find_in(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    find_request *r = arg;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    const void *eh = NULL;
    int hit = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + p->p_vaddr;
        if (p->p_type == PT_LOAD) {
            if (start < lo) lo = start;
            if (start + p->p_memsz > hi) hi = start + p->p_memsz;
            if (r->pc >= start && r->pc < start + p->p_memsz) hit = 1;
        } else if (p->p_type == PT_GNU_EH_FRAME) {
            eh = (const void *)start;
        }
    }
    if (!hit) return 0;
    memset(r->out, 0, sizeof *r->out);
    r->out->dlfo_map_start = (void *)lo;
    r->out->dlfo_map_end = (void *)hi;
    r->out->dlfo_eh_frame = (void *)eh;
    r->found = 1;
    return 1;
}

int __wrap__dl_find_object(void *pc, struct dl_find_object *result) {
    find_request r = {(uintptr_t)pc, result, 0};
    dl_iterate_phdr(find_in, &r);
    return r.found ? 0 : -1;
}

uint32_t __wrap_arc4random(void) {
    uint32_t v = 0;
    size_t got = 0;
    while (got < sizeof v) {
        ssize_t n = getrandom((char *)&v + got, sizeof v - got, 0);
        if (n > 0) got += (size_t)n;
    }
    return v;
}

void _gfortran_concat_string(size_t destlen, char *dest, size_t len1, const char *s1, size_t len2, const char *s2) {
    if (len1 >= destlen) {
        memcpy(dest, s1, destlen);
        return;
    }
    memcpy(dest, s1, len1);
    dest += len1;
    destlen -= len1;
    if (len2 >= destlen) {
        memcpy(dest, s2, destlen);
        return;
    }
    memcpy(dest, s2, len2);
    memset(dest + len2, ' ', destlen - len2);
}
