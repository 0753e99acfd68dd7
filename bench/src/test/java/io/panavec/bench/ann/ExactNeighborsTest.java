package io.panavec.bench.ann;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ExactNeighborsTest {
    @Test
    void matchesAFullSortByInnerProduct() {
        Random r = new Random(7);
        float[][] base = TestVectors.unit(r, 500, 16);
        float[][] queries = TestVectors.unit(r, 20, 16);
        int[][] top = ExactNeighbors.topK(base, queries, 10);
        for (int q = 0; q < queries.length; q++) {
            float[] query = queries[q];
            // Independent oracle: score in double, sort everything.
            int[] expected = IntStream.range(0, base.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -dotDouble(base[i], query)).thenComparingInt(i -> i))
                    .limit(10).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, top[q], "query " + q);
        }
    }

    @Test
    void matchesAFullSortByEuclideanDistanceOnVectorsOfManyLengths() {
        Random r = new Random(8);
        float[][] base = TestVectors.unit(r, 500, 16);
        for (int i = 0; i < base.length; i++) {
            float scale = 0.2f + 3 * r.nextFloat(); // lengths differ, so L2 and inner product rank differently
            for (int j = 0; j < base[i].length; j++) base[i][j] *= scale;
        }
        float[][] queries = TestVectors.unit(r, 20, 16);
        int[][] top = ExactNeighbors.topK(base, queries, 10, AnnMetric.L2);
        int[][] byDot = ExactNeighbors.topK(base, queries, 10, AnnMetric.IP);
        boolean differ = false;
        for (int q = 0; q < queries.length; q++) {
            float[] query = queries[q];
            int[] expected = IntStream.range(0, base.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> l2Double(base[i], query)).thenComparingInt(i -> i))
                    .limit(10).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, top[q], "query " + q);
            differ |= !java.util.Arrays.equals(top[q], byDot[q]);
        }
        org.junit.jupiter.api.Assertions.assertTrue(differ, "the data must tell the metrics apart");
    }

    private static double l2Double(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        return s;
    }

    @Test
    void kLargerThanTheBaseReturnsEveryRow() {
        float[][] base = {{1, 0}, {0, 1}, {-1, 0}};
        assertArrayEquals(new int[] {0, 1, 2}, ExactNeighbors.topK(base, new float[][] {{1, 0.5f}}, 10)[0]);
    }

    private static double dotDouble(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
