package io.panavec.faiss;

import io.panavec.internal.NativeMetric;
import io.panavec.TestData;

/**
 * Child-JVM main: builds, trains, fills and searches a FAISS index for each factory string given, printing
 * "&lt;spec&gt; refused" or "&lt;spec&gt; built". Run by {@link FactoryStringTest}, so a crash kills only this JVM.
 */
public final class FactoryProbe {
    public static void main(String[] args) {
        float[][] data = TestData.random(400, 16, 7);
        for (String spec : args) {
            try (FaissIndex index = FaissIndex.create(16, spec, NativeMetric.L2)) {
                if (!index.isTrained()) index.train(data);
                long t0 = System.nanoTime();
                if (spec.startsWith("IDMap")) {
                    long[] ids = new long[data.length];
                    for (int i = 0; i < ids.length; i++) ids[i] = 1000 + i;
                    index.addWithIds(data, ids);
                } else {
                    index.add(data);
                }
                index.search(data[0], 5);
                System.out.println(spec + " built (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
            } catch (IllegalArgumentException e) {
                System.out.println(spec + " refused: " + e.getMessage());
            } catch (RuntimeException e) {
                System.out.println(spec + " failed: " + e);
            }
            System.out.flush();
        }
    }
}
