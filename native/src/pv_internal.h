/* Internal helpers shared by panavec's C and C++ sources; not part of the ABI. */
#ifndef PV_INTERNAL_H
#define PV_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

/* Writes a formatted message into a caller-owned error buffer (err may be NULL). */
static inline void pv_set_err(char *err, int64_t errcap, const char *fmt, ...) {
    if (err == NULL || errcap <= 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, (size_t)errcap, fmt, ap);
    va_end(ap);
}

#endif
