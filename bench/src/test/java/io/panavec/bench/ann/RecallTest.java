package io.panavec.bench.ann;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecallTest {
    private static final int[] TRUTH = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    @Test
    void countsOnlyTheTrueTopKInAnyOrder() {
        assertEquals(1.0, Recall.at(10, new int[] {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, TRUTH));
        // 11 and 12 are true neighbours beyond k: they do not count.
        assertEquals(0.8, Recall.at(10, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 11, 12}, TRUTH), 1e-12);
        assertEquals(0.0, Recall.at(10, new int[] {20, 21, 22, 23, 24, 25, 26, 27, 28, 29}, TRUTH));
    }

    @Test
    void shortAndDuplicatedResultsAreNotRewarded() {
        assertEquals(0.3, Recall.at(10, new int[] {1, 2, 3}, TRUTH), 1e-12);
        assertEquals(0.1, Recall.at(10, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, TRUTH), 1e-12);
        // Ids past k in the result are ignored.
        assertEquals(0.0, Recall.at(2, new int[] {5, 6, 1, 2}, TRUTH));
    }

    @Test
    void meanAveragesQueriesAndRefusesShortTruth() {
        int[][] found = {{1, 2}, {9, 9}};
        int[][] truth = {{1, 2}, {1, 2}};
        assertEquals(0.5, Recall.mean(2, found, truth), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Recall.at(10, new int[] {1}, new int[] {1, 2}));
    }
}
