package io.panavec;

import io.panavec.attributes.AttributeType;
import io.panavec.filter.Filter;
import io.panavec.attributes.Schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The oracle of the upsert tests: a {@code HashMap} from id to its one live vector and tag, the operations
 * applied to it and to a {@link PanavecIndex}, and a check that the index answers as the model does.
 * Vectors have small integer coordinates so that L2 scores are exact in float: an exact search must equal
 * the brute-force search over the model, score for score.
 */
final class UpsertModel {
    static final int DIM = 8;
    static final int IDS = 12;   // a small id space: re-adds and deletes of known ids are frequent
    static final int TAGS = 3;
    static final Schema SCHEMA = Schema.builder().add("tag", AttributeType.INT).build();

    /** One operation of a sequence. */
    sealed interface Op {}

    record Entry(long id, int vectorSeed, int tag) {}

    record Add(List<Entry> entries) implements Op {}

    record Delete(long id) implements Op {}

    record DeleteWhere(int tag) implements Op {}

    record Commit() implements Op {}

    record Reopen() implements Op {}

    record Compact() implements Op {}

    record Live(float[] vector, int tag) {}

    final Map<Long, Live> live = new HashMap<>();

    static float[] vector(long seed) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L);
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) v[i] = r.nextInt(7) - 3;
        return v;
    }

    /** A random operation, with the frequencies of the property test. */
    static Op randomOp(Random r) {
        int p = r.nextInt(20);
        if (p < 10) {
            List<Entry> es = new ArrayList<>();
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) es.add(new Entry(r.nextInt(IDS), r.nextInt(10_000), r.nextInt(TAGS)));
            return new Add(es);
        }
        if (p < 14) return new Delete(r.nextInt(IDS));
        if (p < 15) return new DeleteWhere(r.nextInt(TAGS));
        if (p < 17) return new Commit();
        if (p < 19) return new Reopen();
        return new Compact();
    }

    /**
     * Where the tests' indexes go: a tmpfs when the machine has one (POSIX shared memory), else
     * {@code fallback}. The model checks logic, not the disk: fsyncs on a shared disk would make each step
     * tens of ms; and what a kill -9 leaves is the same (the page cache outlives a killed process).
     */
    static Path scratch(Path fallback) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm) && Files.getFileStore(shm).type().equals("tmpfs")) {
            return shm;
        }
        return fallback;
    }

    static PanavecIndex create(Path dir, String spec) throws IOException {
        return PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec(spec).schema(SCHEMA).threads(1).seed(7).create();
    }

    /** Applies {@code op} to the model. */
    void apply(Op op) {
        switch (op) {
            case Add a -> a.entries().forEach(e -> live.put(e.id(), new Live(vector(e.vectorSeed()), e.tag())));
            case Delete d -> live.remove(d.id());
            case DeleteWhere w -> live.values().removeIf(l -> l.tag() == w.tag());
            case Commit c -> { }
            case Reopen o -> { }
            case Compact c -> { }
        }
    }

    /** Applies {@code op} to the index; returns the index to use next (a reopen replaces it). */
    static PanavecIndex apply(PanavecIndex index, Op op) throws IOException {
        switch (op) {
            case Add a -> {
                long[] ids = a.entries().stream().mapToLong(Entry::id).toArray();
                float[][] vs = a.entries().stream().map(e -> vector(e.vectorSeed())).toArray(float[][]::new);
                List<Map<String, ?>> attrs = a.entries().stream().<Map<String, ?>>map(e -> Map.of("tag", e.tag())).toList();
                index.add(ids, vs, attrs);
            }
            case Delete d -> index.delete(d.id());
            case DeleteWhere w -> index.delete(Filter.eq("tag", w.tag()));
            case Commit c -> index.commit();
            case Reopen o -> {
                Path dir = index.directory();
                index.close();
                return PanavecIndex.open(dir, 1);
            }
            case Compact c -> index.compact();
        }
        return index;
    }

    /**
     * Checks the index against the model: sizes, every id's row and attributes, and searches (plain and
     * filtered by each tag) from queries drawn from {@code queries}. {@code exact}: the index is exact, so
     * hits must equal the brute-force top k; otherwise (a graph) hits must be live, current, distinct and
     * correctly scored, and filtered searches keep the k guarantee. Returns a failure description or null.
     */
    String mismatch(PanavecIndex index, boolean exact, Random queries) {
        if (index.size() != live.size()) {
            return "size " + index.size() + ", model " + live.size() + " live ids";
        }
        for (long id = 0; id < IDS; id++) {
            Live l = live.get(id);
            if (index.rowOf(id).isPresent() != (l != null)) {
                return "rowOf(" + id + ") = " + index.rowOf(id) + ", model " + (l == null ? "deleted" : "live");
            }
            if (l != null) {
                Object tag = index.attributesOf(id).orElseThrow().get("tag");
                if (!(tag instanceof Number n) || n.longValue() != l.tag()) {
                    return "attributesOf(" + id + ") tag " + tag + ", model " + l.tag();
                }
            }
        }
        for (int qi = 0; qi < 2; qi++) {
            float[] q = vector(10_000 + queries.nextInt(10_000));
            int k = new int[] {1, 3, IDS + 2}[queries.nextInt(3)];
            String m = check(index, q, k, null, exact);
            if (m != null) return m;
            for (int t = 0; t < TAGS; t++) {
                m = check(index, q, k, t, exact);
                if (m != null) return m;
            }
        }
        return null;
    }

    private String check(PanavecIndex index, float[] q, int k, Integer tag, boolean exact) {
        SearchRequest req = SearchRequest.of(q, k).withEfSearch(64);
        if (tag != null) req = req.withFilter(Filter.eq("tag", tag));
        SearchResult res = index.search(req);
        String what = (tag == null ? "search" : "search tag=" + tag) + " k=" + k + " (" + res.strategy() + "): ";
        Set<Long> seen = new HashSet<>();
        for (SearchHit h : res.hits()) {
            Live l = live.get(h.id());
            if (l == null) return what + "id " + h.id() + " (row " + h.row() + ") is deleted or was never added";
            if (!seen.add(h.id())) return what + "id " + h.id() + " returned twice";
            if (index.rowOf(h.id()).orElse(-1) != h.row()) return what + "id " + h.id() + " row " + h.row() + " was replaced by row " + index.rowOf(h.id());
            if (tag != null && l.tag() != tag) return what + "id " + h.id() + " fails the filter";
            if (h.score() != (float) TestData.score(Metric.L2, q, l.vector())) return what + "id " + h.id() + " scored " + h.score();
        }
        List<Float> truth = live.values().stream().filter(l -> tag == null || l.tag() == tag)
                .map(l -> (float) TestData.score(Metric.L2, q, l.vector())).sorted().limit(k).toList();
        if (exact || tag != null) { // exact engines, and the k guarantee of filtered searches
            if (res.size() != truth.size()) return what + res.size() + " hits, expected " + truth.size();
        }
        if (exact) {
            List<Float> got = res.hits().stream().map(SearchHit::score).toList();
            if (!got.equals(truth)) return what + "scores " + got + ", brute force " + truth;
        }
        return null;
    }
}
