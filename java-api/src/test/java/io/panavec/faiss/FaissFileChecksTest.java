package io.panavec.faiss;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.ChildJvm;
import io.panavec.internal.NativeMetric;
import io.panavec.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FAISS files with forged counts (ntotal = 2^40, neighbour ids out of range, random words) are refused by
 * the shim's structural checks after read_index, or answer sanely; never a crash (issue 10, item 7). The
 * loads run in a child JVM.
 */
class FaissFileChecksTest {
    @TempDir
    Path tmp;

    /** fourcc, d, ntotal, two dummies, is_trained, metric: FAISS's index header. */
    private static final int NTOTAL_AT = 8;
    private static final int HEADER = 4 + 4 + 8 + 8 + 8 + 1 + 4;

    @Test
    void forgedFilesAreRefusedOrAnswerSanely() throws IOException {
        float[][] data = TestData.random(300, 16, 5);
        List<String> files = new ArrayList<>();
        List<String> mustRefuse = new ArrayList<>();
        for (String spec : List.of("HNSW8,Flat", "IVF8,PQ4x4", "IVF8,Flat", "Flat", "IDMap,Flat", "PCA8,IVF4,SQ8")) {
            Path good = tmp.resolve(spec.replaceAll("[^A-Za-z0-9]", "_") + ".index");
            try (FaissIndex index = FaissIndex.create(16, spec, NativeMetric.L2)) {
                if (!index.isTrained()) index.train(data);
                if (spec.startsWith("IDMap")) {
                    long[] ids = new long[data.length];
                    for (int i = 0; i < ids.length; i++) ids[i] = 5000 + i;
                    index.addWithIds(data, ids);
                } else {
                    index.add(data);
                }
                index.save(good);
            }
            byte[] bytes = Files.readAllBytes(good);
            files.add(good.toString()); // the untouched file must load and answer
            String base = good.getFileName().toString();
            mustRefuse.add(write(files, base + ".ntotal", patchLong(bytes, NTOTAL_AT, 1L << 40)));
            mustRefuse.add(write(files, base + ".ntotal-plus-one", patchLong(bytes, NTOTAL_AT, data.length + 1)));
            Random rnd = new Random(spec.hashCode());
            for (int trial = 0; trial < 40; trial++) {
                byte[] b = bytes.clone();
                for (int w = 0; w < 1 + trial % 4; w++) {
                    int at = HEADER + rnd.nextInt((b.length - HEADER) / 4 - 1) * 4;
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, trial % 2 == 0 ? rnd.nextInt() : 0x7fffffff);
                }
                write(files, base + ".words" + trial, b);
            }
        }
        byte[] hnsw = Files.readAllBytes(tmp.resolve("HNSW8_Flat.index"));
        mustRefuse.add(write(files, "hnsw.neighbour", patchInt(hnsw, neighbours(hnsw) + 4 * 17, 1 << 30)));
        mustRefuse.add(write(files, "hnsw.entry", patchInt(hnsw, neighbours(hnsw) + 4 * neighbourCount(hnsw), 300)));

        ChildJvm.Result r = ChildJvm.run(FaissFileProbe.class, Duration.ofSeconds(180), List.of("-Xmx512m"), files.toArray(String[]::new));
        assertFalse(r.crashed(), r.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertFalse(r.output().contains(" wrong: "), r.toString());
        for (String spec : List.of("HNSW8_Flat", "IVF8_PQ4x4", "IVF8_Flat", "Flat", "IDMap_Flat", "PCA8_IVF4_SQ8")) {
            assertTrue(r.output().contains(spec + ".index ok"), spec + " untouched did not load: " + r);
        }
        for (String name : mustRefuse) {
            assertTrue(r.output().contains(name + " refused: "), name + " was not refused:\n" + r);
        }
        assertEquals(files.size(), r.output().lines().filter(l -> l.endsWith(" ok") || l.contains(" refused: ")).count(), r.toString());
    }

    /** Offset of the first neighbour id of an HNSW8,Flat file: past the header and four length-prefixed vectors. */
    private static int neighbours(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int at = HEADER;
        int[] elem = {8, 4, 4, 8}; // assign_probas, cum_nneighbor_per_level, levels, offsets
        for (int e : elem) at += 8 + (int) bb.getLong(at) * e;
        return at + 8;
    }

    private static int neighbourCount(byte[] b) {
        return (int) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(neighbours(b) - 8);
    }

    private String write(List<String> files, String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        files.add(p.toString());
        return name;
    }

    private static byte[] patchLong(byte[] b, int at, long v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
        return c;
    }

    private static byte[] patchInt(byte[] b, int at, int v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
        return c;
    }
}
