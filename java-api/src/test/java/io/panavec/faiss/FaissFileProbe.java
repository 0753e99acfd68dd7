package io.panavec.faiss;

import io.panavec.TestData;

/**
 * Child-JVM main: loads each FAISS file given and searches it, printing "&lt;file&gt; refused: ..." or
 * "&lt;file&gt; ok" (or "&lt;file&gt; wrong: ..." when a search returns a negative id or a non-finite score).
 * Run by {@link FaissFileChecksTest}, so a crash kills only this JVM.
 */
public final class FaissFileProbe {
    public static void main(String[] args) {
        float[][] queries = TestData.random(4, 16, 99);
        for (String file : args) {
            String name = java.nio.file.Path.of(file).getFileName().toString();
            try (FaissIndex index = FaissIndex.load(java.nio.file.Path.of(file))) {
                long n = index.size();
                String verdict = "ok";
                for (float[] q : queries) {
                    FaissHits r = index.search(q, 10, SearchParams.defaults().withEfSearch(32).withNprobe(4));
                    for (int i = 0; i < r.size(); i++) {
                        // IVF files may carry any non-negative ids (addWithIds); scores must be real numbers.
                        if (r.ids()[i] < 0 || !Float.isFinite(r.scores()[i])) {
                            verdict = "wrong: id " + r.ids()[i] + " score " + r.scores()[i];
                        }
                    }
                }
                System.out.println(name + " " + verdict);
            } catch (RuntimeException e) {
                System.out.println(name + " refused: " + e.getMessage().lines().findFirst().orElse(""));
            }
            System.out.flush();
        }
    }
}
