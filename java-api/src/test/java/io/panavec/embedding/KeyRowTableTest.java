package io.panavec.embedding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The off-heap key &rarr; row table against a heap {@code HashMap<Long, Long>}: random puts (new keys, replaced rows,
 * deleted keys put back), deletes, growth from the smallest size, clustered and adversarial keys (multiples of the
 * capacity, which a table without mixing would pile into one chain), the batch look-up, and the file round trip:
 * written, mapped read-only, changed (a private copy) and checked against the model again. A damaged header or a
 * slot naming a row past the covered ones is refused.
 */
class KeyRowTableTest {
    @TempDir
    Path tmp;

    @Test
    void matchesAHeapMapThroughGrowthDeletesAndAFileRoundTrip() throws IOException {
        Random r = new Random(5);
        KeyRowTable t = KeyRowTable.create(0);
        Map<Long, Long> model = new HashMap<>();
        long[] pool = new long[5000];
        for (int i = 0; i < pool.length; i++) pool[i] = switch (i % 3) {
            case 0 -> r.nextLong();
            case 1 -> (long) i << 20; // multiples of every power-of-two capacity up to 2^20
            default -> i - 2500L;
        };
        long row = 0;
        for (int step = 0; step < 40_000; step++) {
            long key = pool[r.nextInt(pool.length)];
            if (r.nextInt(4) == 0) {
                Long had = model.remove(key);
                assertEquals(had == null ? -1 : had, t.delete(key), "delete " + key);
            } else {
                t.put(key, row);
                model.put(key, row++);
            }
            if (step % 5000 == 0) check(t, model, pool, "step " + step);
        }
        check(t, model, pool, "end");

        Path file = tmp.resolve("vocab.pvk");
        t.writeTo(file, 1, row);
        KeyRowTable mapped = KeyRowTable.map(file, 1, row);
        check(mapped, model, pool, "mapped");
        for (int i = 0; i < 2000; i++) { // a mapped table changes through a private copy; the file stays
            long key = pool[r.nextInt(pool.length)];
            mapped.put(key, row);
            model.put(key, row++);
        }
        check(mapped, model, pool, "mapped, then changed");
        assertEquals(KeyRowTable.HEADER_BYTES + 16 * capacityOf(file), Files.size(file));
    }

    @Test
    void damagedFilesAreRefused() throws IOException {
        KeyRowTable t = KeyRowTable.create(10);
        for (long k = 0; k < 10; k++) t.put(k * 7, k);
        Path file = tmp.resolve("v.pvk");
        t.writeTo(file, 2, 10);
        assertThrows(IOException.class, () -> KeyRowTable.map(file, 1, 10), "another key type");
        assertThrows(IOException.class, () -> KeyRowTable.map(file, 2, 11), "another row count");
        Path rows = copyWith(file, "rows.pvk", b -> { // a slot naming row 10 of 10
            for (int off = KeyRowTable.HEADER_BYTES; off < b.capacity(); off += 16) {
                if (b.getLong(off + 8) != 0) {
                    b.putLong(off + 8, 12);
                    return;
                }
            }
        });
        assertThrows(IOException.class, () -> KeyRowTable.map(rows, 2, 10));
        Path count = copyWith(file, "count.pvk", b -> b.putLong(24, 9));
        assertThrows(IOException.class, () -> KeyRowTable.map(count, 2, 10));
        Path magic = copyWith(file, "magic.pvk", b -> b.put(0, (byte) 0));
        assertThrows(IOException.class, () -> KeyRowTable.map(magic, 2, 10));
        Path cap = copyWith(file, "cap.pvk", b -> b.putLong(16, b.getLong(16) * 2));
        assertThrows(IOException.class, () -> KeyRowTable.map(cap, 2, 10));
    }

    private Path copyWith(Path file, String name, java.util.function.Consumer<ByteBuffer> change) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        change.accept(b);
        Path out = tmp.resolve(name);
        Files.write(out, b.array());
        return out;
    }

    private static long capacityOf(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, 16);
            return b.getLong(0);
        }
    }

    private static void check(KeyRowTable t, Map<Long, Long> model, long[] pool, String what) {
        assertEquals(model.size(), t.size(), what + ": size");
        long[] rows = new long[pool.length];
        t.rowsOf(pool, rows, -7);
        for (int i = 0; i < pool.length; i++) {
            Long want = model.get(pool[i]);
            assertEquals(want == null ? -1 : want, t.rowOf(pool[i]), what + ": key " + pool[i]);
            assertEquals(want == null ? -7 : want, rows[i], what + ": batch, key " + pool[i]);
        }
    }
}
