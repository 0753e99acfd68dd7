package io.panavec.faiss;

import io.panavec.Metric;
import io.panavec.bindings.PanavecNativeException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FaissEfConstructionTest {
    @Test
    void setsTheBuildBeamOnHnswAndRefusesOtherIndexes() {
        float[][] v = new float[500][8];
        Random r = new Random(3);
        for (float[] row : v) for (int j = 0; j < 8; j++) row[j] = (float) r.nextGaussian();
        try (FaissIndex hnsw = FaissIndex.create(8, "HNSW16,Flat", Metric.L2); FaissIndex flat = FaissIndex.create(8, "Flat", Metric.L2)) {
            hnsw.setEfConstruction(100);
            hnsw.add(v);
            assertEquals(7L, hnsw.search(v[7], 1, SearchParams.defaults().withEfSearch(64)).ids()[0]);
            PanavecNativeException e = assertThrows(PanavecNativeException.class, () -> flat.setEfConstruction(100));
            assertEquals(2, e.status());
            assertTrue(e.getMessage().contains("no HNSW layer"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> hnsw.setEfConstruction(0));
        }
    }
}
