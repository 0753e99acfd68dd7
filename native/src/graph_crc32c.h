/*
 * CRC-32C (Castagnoli) for the graph file checksum: SSE4.2 crc32 instruction when the CPU has
 * it, a table otherwise. Internal; same result as pv_crc32c in panavec.h, which can replace it.
 */
#ifndef PV_GRAPH_CRC32C_H
#define PV_GRAPH_CRC32C_H

#include <nmmintrin.h>
#include <stdint.h>
#include <string.h>

static uint32_t graph_crc32c_table[256];

static void graph_crc32c_init_table(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int j = 0; j < 8; j++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        graph_crc32c_table[i] = c;
    }
}

static uint32_t graph_crc32c_sw(uint32_t crc, const uint8_t *p, int64_t len) {
    static int ready;
    if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        graph_crc32c_init_table(); /* idempotent: racing initializers write the same values */
        __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    }
    crc = ~crc;
    for (int64_t i = 0; i < len; i++) crc = graph_crc32c_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

__attribute__((target("sse4.2"))) static uint32_t graph_crc32c_hw(uint32_t crc, const uint8_t *p, int64_t len) {
    uint64_t c = ~crc & 0xffffffffu;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = _mm_crc32_u64(c, w);
        p += 8;
        len -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (len-- > 0) c32 = _mm_crc32_u8(c32, *p++);
    return ~c32;
}

/* CRC-32C of data, continuing from crc (0 to start). */
static inline uint32_t graph_crc32c(uint32_t crc, const void *data, int64_t len) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.2")) return graph_crc32c_hw(crc, (const uint8_t *)data, len);
    return graph_crc32c_sw(crc, (const uint8_t *)data, len);
}

#endif
