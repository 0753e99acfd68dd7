package io.panavec.reliability;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.TestData;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child-JVM main for {@link CrashMatrixTest}: create, three add+commit rounds (a delete in the second),
 * a compaction and a last add+commit, printing "committed &lt;rows&gt;" after each commit returns. With
 * {@code -Dpanavec.test.crashAt=N} the JVM halts at the N-th write/fsync/rename/append.
 */
public final class CrashMatrixChild {
    static final int DIM = 8;
    static final int BATCH = 40;

    static float[] vector(long id) {
        return TestData.random(1, DIM, 1000 + id)[0];
    }

    static String pos(long id) {
        return id % 3 == 0 ? "n" : "v";
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Schema schema = Schema.builder().add("pos", AttributeType.KEYWORD).build();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec(args[1]).schema(schema).threads(1).create()) {
            System.out.println("committed 0");
            for (int round = 0; round < 4; round++) {
                long[] ids = new long[BATCH];
                float[][] v = new float[BATCH][];
                List<Map<String, Object>> attrs = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    ids[i] = round * BATCH + i;
                    v[i] = vector(ids[i]);
                    attrs.add(Map.of("pos", pos(ids[i])));
                }
                index.add(ids, v, attrs);
                System.out.println("added " + (round + 1) * BATCH);
                if (round == 1) {
                    index.delete(5);
                    System.out.println("deleted 5");
                }
                if (round == 2) {
                    index.compact();
                }
                index.commit();
                System.out.println("committed " + index.rows());
                System.out.flush();
            }
        }
        System.out.println("done");
    }
}
