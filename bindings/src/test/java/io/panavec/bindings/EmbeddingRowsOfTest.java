package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * pv_emb_rows_of against a heap {@code HashMap<Long, Long>}: slots written here by the layout of panavec.def
 * (linear probing from SplitMix64(key) & mask), with long probe chains (keys chosen to share first slots), deleted
 * keys, unknown keys (the fallback), batches longer than the prefetch distance and empty ones; a table with no free
 * slot returns -1 instead of probing forever.
 */
class EmbeddingRowsOfTest {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long DELETED = 1L << 62;

    private static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    private static void insert(MemorySegment slots, long mask, long key, long entry) {
        for (long i = mix(key) & mask; ; i = (i + 1) & mask) {
            long off = i << 4;
            if (slots.get(LONG, off + 8) == 0 || slots.get(LONG, off) == key) {
                slots.set(LONG, off, key);
                slots.set(LONG, off + 8, entry);
                return;
            }
        }
    }

    @Test
    void resolvesLiveKeysAndFallsBackForUnknownAndDeletedOnes() {
        Random r = new Random(3);
        long capacity = 1 << 12, mask = capacity - 1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slots = arena.allocate(capacity * 16, 64);
            Map<Long, Long> live = new HashMap<>();
            long[] pool = new long[2500];
            int n = 0;
            for (long k = 0; n < 500; k++) { // 500 keys sharing first slot 7: one long chain
                if ((mix(k) & mask) == 7) pool[n++] = k;
            }
            while (n < pool.length) pool[n++] = r.nextLong();
            for (int i = 0; i < pool.length; i++) {
                long row = r.nextInt(1 << 30);
                boolean deleted = r.nextInt(5) == 0;
                insert(slots, mask, pool[i], (row + 2) | (deleted ? DELETED : 0));
                if (!deleted) live.put(pool[i], row);
            }
            for (int batch : new int[] {0, 1, 2, 15, 16, 17, 100, 3000}) {
                long[] keys = new long[batch], rows = new long[batch];
                for (int i = 0; i < batch; i++) keys[i] = r.nextInt(4) == 0 ? r.nextLong() : pool[r.nextInt(pool.length)];
                assertEquals(0, panavec_embedding_h.pv_emb_rows_of(slots, mask, MemorySegment.ofArray(keys), batch, -9, MemorySegment.ofArray(rows)));
                for (int i = 0; i < batch; i++) {
                    assertEquals(live.getOrDefault(keys[i], -9L), rows[i], "batch " + batch + ", key " + keys[i]);
                }
            }
        }
    }

    @Test
    void aTableWithNoFreeSlotReturnsMinusOne() {
        long capacity = 16, mask = capacity - 1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slots = arena.allocate(capacity * 16, 64);
            for (long k = 0; k < capacity; k++) insert(slots, mask, 1000 + k, k + 2);
            long[] rows = new long[2];
            assertEquals(-1, panavec_embedding_h.pv_emb_rows_of(slots, mask, MemorySegment.ofArray(new long[] {1003, 5}), 2, -1,
                    MemorySegment.ofArray(rows)));
            assertEquals(3, rows[0], "the key before the unknown one was resolved");
        }
    }
}
