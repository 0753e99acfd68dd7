package io.panavec.embedding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pooled bag look-ups (sum, mean, max over variable-length bags, EmbeddingBag-style offsets) against pooling done
 * in double precision over the heap model's decoded vectors: empty bags, bags of one, repeated and unknown values,
 * under both out-of-vocabulary policies.
 */
class EmbeddingBagsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(RowEncoding.class)
    void bagsPoolAsTheModelWithEmptyBagsAndUnknownValuesLeftOut(RowEncoding encoding) throws Exception {
        int dim = 19;
        Random r = new Random(encoding.ordinal());
        TableOracle<Long> model = new TableOracle<>(null);
        try (EmbeddingTable t = EmbeddingTable.builder(tmp.resolve(encoding.spec())).dimension(dim).encoding(encoding).rowsPerChunk(4).create()) {
            long[] keys = new long[30];
            float[][] vs = new float[30][];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = i * 3L;
                vs[i] = TableOracle.gaussian(r, dim, 0f);
                model.put(keys[i], vs[i]);
            }
            t.putAll(keys, vs);
            for (Pooling pool : Pooling.values()) {
                for (int round = 0; round < 5; round++) {
                    int nbags = 1 + r.nextInt(8);
                    int[] offsets = new int[nbags];
                    int total = 0;
                    for (int b = 0; b < nbags; b++) {
                        offsets[b] = total;
                        total += r.nextInt(3) == 0 ? 0 : r.nextInt(6);
                    }
                    long[] values = new long[total];
                    for (int v = 0; v < total; v++) values[v] = r.nextInt(4) == 0 ? 1 + 3L * r.nextInt(40) : 3L * r.nextInt(30); // some unknown
                    float[][] got = t.lookupBags(values, offsets, pool);
                    for (int b = 0; b < nbags; b++) {
                        int from = offsets[b], to = b + 1 < nbags ? offsets[b + 1] : total;
                        double[] want = pool(model, t.codec(), values, from, to, pool, null);
                        for (int j = 0; j < dim; j++) {
                            assertEquals(want[j], got[b][j], 1e-5 * (1 + to - from) * (1 + Math.abs(want[j])),
                                    encoding + " " + pool + " bag " + b + " of " + (to - from) + " values, element " + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void unknownValuesCountAsTheDefaultKeysVectorWhenOneIsSet() throws Exception {
        int dim = 8;
        Random r = new Random(3);
        TableOracle<Long> model = new TableOracle<>(null);
        try (EmbeddingTable t = EmbeddingTable.builder(tmp.resolve("oov")).dimension(dim).oov(Oov.key(-1)).create()) {
            long[] values = {5, 99, 5, 77};
            int[] offsets = {0, 1, 3};
            float[][] before = t.lookupBags(values, offsets, Pooling.MEAN); // nothing put: everything reads zeros
            for (float[] v : before) for (float x : v) assertEquals(0f, x);
            float[] unk = TableOracle.gaussian(r, dim, 0f), five = TableOracle.gaussian(r, dim, 0f);
            t.putAll(new long[] {-1, 5}, new float[][] {unk, five});
            model.put(-1L, unk);
            model.put(5L, five);
            float[][] got = t.lookupBags(values, offsets, Pooling.MEAN);
            for (int b = 0; b < 3; b++) {
                int from = offsets[b], to = b + 1 < 3 ? offsets[b + 1] : values.length;
                double[] want = pool(model, t.codec(), values, from, to, Pooling.MEAN, -1L);
                for (int j = 0; j < dim; j++) assertEquals(want[j], got[b][j], 1e-5, "bag " + b + " element " + j);
            }
            assertEquals(unk[2], t.lookup(12345L)[2], 0f, "an unknown key reads as the default key's vector");
        }
    }

    /** The model's pooled bag: unknown values read as the fallback's vector, or are left out without one. */
    static double[] pool(TableOracle<Long> model, RowCodec codec, long[] values, int from, int to, Pooling pool, Long fallback) {
        int dim = codec.dimension();
        double[] acc = new double[dim];
        int count = 0;
        for (int v = from; v < to; v++) {
            float[] x = model.vectors.get(values[v]);
            if (x == null && fallback != null) x = model.vectors.get(fallback);
            if (x == null) continue;
            float[] dec = TableOracle.scalarRoundTrip(codec, x);
            for (int j = 0; j < dim; j++) {
                acc[j] = pool == Pooling.MAX ? (count == 0 ? dec[j] : Math.max(acc[j], dec[j])) : acc[j] + dec[j];
            }
            count++;
        }
        if (pool == Pooling.MEAN && count > 0) {
            for (int j = 0; j < dim; j++) acc[j] /= count;
        }
        return acc;
    }
}
