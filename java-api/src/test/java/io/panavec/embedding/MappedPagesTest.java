package io.panavec.embedding;

import io.panavec.bindings.panavec_embedding_h;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The 2 MiB page advice of read-only tables ({@link MappedPages}, {@link Residency#MAPPED}): the smaps count against
 * hand-made smaps text, the native advice's refusals and its result on a real file mapping, and that an advised
 * table reads back what the heap model holds, in the mapping as in the resident copy.
 */
class MappedPagesTest {
    @TempDir
    Path tmp;

    private static final List<String> SMAPS = List.of(
            "7f0000000000-7f0000400000 r--s 00002000 fd:00 12 /data/t-1/vectors.pvs",
            "Size:               4096 kB",
            "AnonHugePages:         0 kB",
            "FilePmdMapped:      2048 kB",
            "VmFlags: rd mr me ms hg",
            "7f0000400000-7f0000600000 rw-p 00000000 00:00 0 ",
            "AnonHugePages:      2048 kB",
            "FilePmdMapped:         0 kB",
            "7f0000800000-7f0000a00000 r--s 00000000 fd:00 13 /data/vocab-1.pvk",
            "FilePmdMapped:      2048 kB");

    @Test
    void countsTheHugePagesOfTheMappingsThatOverlapTheRegions() {
        MemorySegment rows = MemorySegment.ofAddress(0x7f0000001000L).reinterpret(0x300000); // inside the first mapping
        MemorySegment copy = MemorySegment.ofAddress(0x7f00005ff000L).reinterpret(0x1000);   // the last page of the second
        MemorySegment none = MemorySegment.ofAddress(0x7f0000600000L).reinterpret(0x200000); // the gap: nothing
        assertEquals(2048 * 1024, MappedPages.hugeBytes(SMAPS, List.of(rows)));
        assertEquals(4096 * 1024, MappedPages.hugeBytes(SMAPS, List.of(rows, copy)));
        assertEquals(0, MappedPages.hugeBytes(SMAPS, List.of(none)));
        assertEquals(6144 * 1024, MappedPages.hugeBytes(SMAPS, List.of(rows, copy, none, MemorySegment.ofAddress(0x7f0000900000L).reinterpret(8))));
        assertEquals(0, MappedPages.hugeBytes(SMAPS, List.of(MemorySegment.ofAddress(0x7f0000400000L).reinterpret(0))), "an empty region overlaps nothing");
    }

    @Test
    void theNativeAdviceRefusesNoMemoryAndTakesAFileMapping() throws Exception {
        assertEquals(-1, panavec_embedding_h.pv_emb_advise_mapped(MemorySegment.NULL, 4096, 1));
        Path f = tmp.resolve("rows.bin");
        Files.write(f, new byte[6 << 20]);
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        assumeTrue(Files.isReadable(thp) && !Files.readString(thp).contains("[never]"), "transparent huge pages available");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ); Arena a = Arena.ofConfined()) {
            MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 4096, (6 << 20) - 4096, a);
            long collapsed = MappedPages.advise(m.asSlice(100)); // an unaligned start is rounded down to its page
            assertTrue(collapsed >= 0 && collapsed <= m.byteSize(), "collapsed " + collapsed);
            assertEquals(0, m.get(ValueLayout.JAVA_BYTE, m.byteSize() - 1), "the mapping still reads the file");
            assertEquals(0, MappedPages.advise(a.allocate(4096)), "memory that is no file mapping is left alone");
        }
    }

    @Test
    void anAdvisedReadOnlyTableReadsAsTheModel() throws Exception {
        Path dir = tmp.resolve("t");
        Random r = new Random(29);
        int dim = 48, keys = 3000;
        TableOracle<Long> model = new TableOracle<>(null);
        try (EmbeddingTable t = EmbeddingTable.builder(dir).dimension(dim).encoding(RowEncoding.F32).rowsPerChunk(1024).create()) {
            long[] k = new long[keys];
            float[][] vs = new float[keys][];
            for (int i = 0; i < keys; i++) {
                k[i] = 7L * i + 3;
                vs[i] = TableOracle.gaussian(r, dim, 0f);
                model.put(k[i], vs[i]);
            }
            t.putAll(k, vs);
            t.commit();
        }
        try (EmbeddingTable mapped = EmbeddingTable.openReadOnly(dir); EmbeddingTable resident = EmbeddingTable.openReadOnly(dir, Residency.HUGE_PAGES)) {
            assertEquals(Residency.MAPPED, mapped.residency());
            long[] k = r.longs(4096, 0, 7L * keys + 10).toArray(); // known and unknown keys, repeats
            float[][] got = mapped.lookup(k), copy = resident.lookup(k);
            for (int i = 0; i < k.length; i++) {
                float[] want = model.vectors.getOrDefault(k[i], new float[dim]);
                assertArrayEquals(want, got[i], "mapped key " + k[i]);
                assertArrayEquals(want, copy[i], "resident key " + k[i]);
            }
            long huge = mapped.hugePageBytes();
            assertTrue(huge == -1 || (huge >= 0 && huge % (2 << 20) == 0), "whole 2 MiB pages: " + huge);
        }
    }
}
