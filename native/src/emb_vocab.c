/* The batch key -> row resolve of an embedding table's vocabulary (pv_emb_rows_of, panavec.def): the probe of
 * java-api's KeyRowTable, in one pass that requests each key's first slot ahead of its probe. A vocabulary larger
 * than the caches costs one memory miss per key; issued one by one (a probe needs its slot before the next key's
 * starts) they serialize, issued ahead they overlap. */
#include <stdint.h>

#include "panavec_embedding.h"

/* Keys ahead of the probed one whose first slot is requested. */
#ifndef PV_EMB_PREFETCH_KEYS
#define PV_EMB_PREFETCH_KEYS 16
#endif
#define PV_EMB_DELETED (INT64_C(1) << 62)

/* SplitMix64's finalizer: java-api's Hashing.mix, bit for bit (tables depend on it). */
static inline uint64_t mix(uint64_t x) {
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

int32_t pv_emb_rows_of(const uint8_t *slots, int64_t mask, const int64_t *keys, int64_t n, int64_t fallback, int64_t *rows) {
    const uint64_t m = (uint64_t)mask;
    for (int64_t i = 0; i < n && i < PV_EMB_PREFETCH_KEYS; i++) __builtin_prefetch(slots + ((mix((uint64_t)keys[i]) & m) << 4), 0, 3);
    for (int64_t i = 0; i < n; i++) {
        if (PV_EMB_PREFETCH_KEYS > 0 && i + PV_EMB_PREFETCH_KEYS < n) __builtin_prefetch(slots + ((mix((uint64_t)keys[i + PV_EMB_PREFETCH_KEYS]) & m) << 4), 0, 3);
        const int64_t key = keys[i];
        int64_t r = fallback;
        uint64_t s = mix((uint64_t)key) & m, probes = 0;
        for (;;) {
            const int64_t *slot = (const int64_t *)(slots + (s << 4));
            const int64_t e = __atomic_load_n(slot + 1, __ATOMIC_ACQUIRE);
            if (e == 0) break;
            if (slot[0] == key) {
                if ((e & PV_EMB_DELETED) == 0) r = e - 2;
                break;
            }
            if (++probes > m) return -1;
            s = (s + 1) & m;
        }
        rows[i] = r;
    }
    return 0;
}
