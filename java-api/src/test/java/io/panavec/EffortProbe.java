package io.panavec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Child-JVM main for {@link SearchEffortTest}: builds a small index of each spec given and searches it
 * with absurd efforts (k, efSearch, nprobe, rerank = 2^31 - 1, k = 2^30 + 1), printing per case
 * "&lt;spec&gt; &lt;case&gt; hits=&lt;n&gt; distinct=&lt;d&gt; top=&lt;ok|wrong&gt;". A crash or an allocation
 * beyond the child's small limits ends the child instead of the test JVM.
 */
public final class EffortProbe {
    static final int ROWS = 300;
    static final int DIM = 16;

    public static void main(String[] args) throws Exception {
        float[][] base = TestData.random(ROWS, DIM, 11);
        float[] q = TestData.random(1, DIM, 12)[0];
        int[] truth = TestData.topK(Metric.L2, base, q, 10);
        long[] ids = new long[ROWS];
        for (int i = 0; i < ROWS; i++) ids[i] = i;
        Path root = Files.createTempDirectory("effort");
        int n = 0;
        for (String spec : args) {
            try (PanavecIndex index = PanavecIndex.builder(root.resolve("i" + n++)).dimension(DIM).metric(Metric.L2).spec(spec)
                    .threads(1).create()) {
                index.train(base);
                index.add(ids, base);
                List<UnaryOperator<SearchRequest>> cases = List.of(
                        r -> r, r -> r.withEfSearch(Integer.MAX_VALUE), r -> r.withNprobe(Integer.MAX_VALUE),
                        r -> r.withRerank(Integer.MAX_VALUE), r -> r.withEfSearch(Integer.MAX_VALUE).withRerank(Integer.MAX_VALUE)
                                .withNprobe(Integer.MAX_VALUE));
                String[] names = {"k", "k+ef", "k+nprobe", "k+rerank", "k+all"};
                for (int k : new int[] {Integer.MAX_VALUE, (1 << 30) + 1}) {
                    for (int c = 0; c < cases.size(); c++) {
                        SearchResult r = index.search(cases.get(c).apply(SearchRequest.of(q, k)));
                        Set<Long> distinct = new HashSet<>();
                        r.hits().forEach(h -> distinct.add(h.id()));
                        boolean top = r.size() >= 10;
                        for (int i = 0; top && i < 10; i++) top = r.get(i).id() == truth[i];
                        System.out.println(spec + " " + names[c] + "@" + k + " hits=" + r.size() + " distinct=" + distinct.size()
                                + " top=" + (top ? "ok" : "wrong"));
                    }
                }
            } catch (Throwable t) {
                System.out.println(spec + " failed: " + t);
            }
            System.out.flush();
        }
    }
}
