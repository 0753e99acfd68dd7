package io.panavec.reliability;

import static org.junit.jupiter.api.Assertions.*;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import io.panavec.TestData;
import io.panavec.VerifyReport;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.filter.Filter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded, model-checked mixed workload (issue 10, concurrency): two writer threads adding batches (upserts among
 * them), deleting by id and by filter, one thread committing and compacting beside them, two searchers (filtered and
 * not) and id look-ups, for several rounds; between rounds the index is closed (with or without a commit) and
 * reopened and checked whole against the model, and {@link PanavecIndex#verify} runs.
 *
 * <p>The model is a heap map per version: every mutation runs under a test lock that also applies it to the model and
 * publishes the next version, so the versions are the index's states in the order the index saw them. A search that
 * started at version a and ended at version b must be consistent with one version in [a, b]: no duplicate, every hit
 * live there with the vector it was scored on (so never a replaced or deleted row), filters honoured, min(k, matches)
 * hits, and on an exact index the brute-force top k. A failure names its seed; it is then replayed sequentially in the
 * recorded order and, if it fails that way too, shrunk (delta debugging) to a minimal sequence of mutations.
 * Seeds: {@code -Dpanavec.concurrency.seeds=N} (default 2 per spec), rounds of {@code -Dpanavec.concurrency.ops} ops.
 */
class ConcurrentWorkloadTest {
    private static final int DIM = 8;
    private static final int IDS = 120;
    private static final int K = 8;
    private static final Schema SCHEMA = Schema.builder().add("pos", AttributeType.KEYWORD).build();
    /** Searches that ran while a delete by filter was in flight (checked for the invariants only). */
    private static final java.util.concurrent.atomic.AtomicLong inFlight = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong searches = new java.util.concurrent.atomic.AtomicLong();

    @TempDir
    Path tmp;

    enum Kind { ADD, DELETE, DELETE_FILTER, COMMIT, COMPACT }

    /** One mutation; vectors and attributes are functions of (id, tag). */
    record Op(Kind kind, long[] ids, int tag) {
        @Override
        public String toString() {
            return switch (kind) {
                case ADD -> "add" + Arrays.toString(ids) + "#" + tag;
                case DELETE -> "delete(" + ids[0] + ")";
                case DELETE_FILTER -> "delete(pos = 'z')";
                default -> kind.name().toLowerCase();
            };
        }
    }

    /** The live rows of one version: id -> (vector, pos). */
    record Version(Map<Long, float[]> vectors, Map<Long, String> pos) {}

    static float[] vector(long id, int tag) {
        return TestData.random(1, DIM, id * 100_003L + tag)[0];
    }

    static String pos(long id, int tag) {
        return switch ((int) ((id + tag) % 3)) { case 0 -> "n"; case 1 -> "v"; default -> "z"; };
    }

    static List<Op> writerOps(Random r, int n, int tagBase) {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int p = r.nextInt(100);
            if (p < 60) {
                long[] ids = new long[1 + r.nextInt(6)];
                for (int j = 0; j < ids.length; j++) ids[j] = r.nextInt(IDS);
                ops.add(new Op(Kind.ADD, ids, tagBase + i));
            } else if (p < 92) {
                ops.add(new Op(Kind.DELETE, new long[] {r.nextInt(IDS)}, 0));
            } else {
                ops.add(new Op(Kind.DELETE_FILTER, new long[0], 0));
            }
        }
        return ops;
    }

    /** The model and the order in which the index applied mutations. */
    static final class Model {
        final List<Version> versions = new CopyOnWriteArrayList<>();
        final List<Op> applied = Collections.synchronizedList(new ArrayList<>());
        final ReentrantLock lock = new ReentrantLock();
        /** The version of the mutation in flight (the index may show it before apply returns), or null. */
        volatile Version pending;
        /** The mutation in flight, or null. */
        volatile Op pendingOp;

        /** The versions a search may have seen: from {@code from} to the last one, and the one in flight. */
        List<Version> window(int from) {
            Version p = pending;
            List<Version> all = List.copyOf(versions); // a copy: the list grows meanwhile
            List<Version> w = new ArrayList<>(all.subList(Math.min(from, all.size() - 1), all.size()));
            if (p != null) w.add(p);
            return w;
        }

        Model() {
            versions.add(new Version(Map.of(), Map.of()));
        }

        Version last() {
            return versions.get(versions.size() - 1);
        }

        /** Applies {@code op} to the index and the model, atomically with respect to other mutations. */
        void apply(PanavecIndex index, Op op) {
            lock.lock();
            try {
                Map<Long, float[]> v = new TreeMap<>(last().vectors());
                Map<Long, String> p = new TreeMap<>(last().pos());
                switch (op.kind()) { // the model's next version is published as pending before the index applies it
                    case ADD -> {
                        float[][] vs = new float[op.ids().length][];
                        List<Map<String, Object>> attrs = new ArrayList<>();
                        for (int j = 0; j < vs.length; j++) {
                            vs[j] = vector(op.ids()[j], op.tag() + j);
                            attrs.add(Map.of("pos", pos(op.ids()[j], op.tag() + j)));
                            v.put(op.ids()[j], vs[j]); // a repeated id: the last copy wins
                            p.put(op.ids()[j], pos(op.ids()[j], op.tag() + j));
                        }
                        pending = new Version(v, p);
                        pendingOp = op;
                        index.add(op.ids(), vs, attrs);
                    }
                    case DELETE -> {
                        v.remove(op.ids()[0]);
                        p.remove(op.ids()[0]);
                        pending = new Version(v, p);
                        pendingOp = op;
                        index.delete(op.ids()[0]);
                    }
                    case DELETE_FILTER -> {
                        for (Long id : new ArrayList<>(p.keySet())) {
                            if (p.get(id).equals("z")) {
                                v.remove(id);
                                p.remove(id);
                            }
                        }
                        pending = new Version(v, p);
                        pendingOp = op;
                        index.delete(Filter.parse("pos = 'z'"));
                    }
                    default -> throw new IllegalArgumentException(op.toString());
                }
                applied.add(op);
                versions.add(pending);
                pending = null;
                pendingOp = null;
            } finally {
                lock.unlock();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"flat", "hnsw:M=8,efc=32", "hnsw:M=8,efc=32,quant=lvq8"})
    void mixedWorkloadMatchesTheModel(String spec) throws Exception {
        int seeds = Integer.getInteger("panavec.concurrency.seeds", 2);
        int ops = Integer.getInteger("panavec.concurrency.ops", 40);
        for (long seed = 1; seed <= seeds; seed++) {
            String failure = run(tmp.resolve("s" + seed), spec, seed, ops, 3);
            if (failure != null) {
                fail("seed " + seed + " (" + spec + "): " + failure);
            }
        }
        System.out.println(spec + ": " + searches.get() + " searches, " + inFlight.get() + " of them beside a delete by filter in flight");
    }

    /** One seeded run: rounds of concurrent work, each followed by close, reopen and a whole-state check. Null when it held. */
    static String run(Path dir, String spec, long seed, int opsPerWriter, int rounds) throws Exception {
        Random r = new Random(seed);
        Model model = new Model();
        PanavecIndex index = create(dir, spec);
        try {
            for (int round = 0; round < rounds; round++) {
                List<List<Op>> writers = List.of(writerOps(new Random(r.nextLong()), opsPerWriter, 1_000_000 * round),
                        writerOps(new Random(r.nextLong()), opsPerWriter, 1_000_000 * round + 500_000));
                List<String> problems = new CopyOnWriteArrayList<>();
                PanavecIndex current = index;
                CountDownLatch start = new CountDownLatch(1);
                List<Thread> threads = new ArrayList<>();
                for (List<Op> w : writers) {
                    threads.add(thread(start, problems, () -> {
                        for (Op op : w) model.apply(current, op);
                    }));
                }
                long maintenanceSeed = r.nextLong();
                boolean[] writersDone = {false};
                threads.add(thread(start, problems, () -> { // commits and compactions beside the writers: no model change
                    Random m = new Random(maintenanceSeed);
                    for (int i = 0; i < 6; i++) {
                        Thread.sleep(m.nextInt(5));
                        if (m.nextBoolean()) current.commit(); else current.compact();
                    }
                }));
                for (int s = 0; s < 2; s++) {
                    long searchSeed = r.nextLong();
                    boolean exact = spec.equals("flat");
                    threads.add(thread(start, problems, () -> search(current, model, new Random(searchSeed), exact, problems, writersDone)));
                }
                threads.forEach(Thread::start);
                start.countDown();
                for (int t = 0; t < writers.size(); t++) threads.get(t).join();
                writersDone[0] = true;
                for (Thread t : threads) t.join();
                if (!problems.isEmpty()) {
                    return problems.get(0) + replay(dir.resolveSibling(dir.getFileName() + "-replay"), spec, new ArrayList<>(model.applied));
                }
                String whole = wholeState(index, model.last(), "after round " + round);
                if (whole != null) return whole;
                if (r.nextBoolean()) index.commit();
                index.close();
                index = PanavecIndex.open(dir, 2);
                whole = wholeState(index, model.last(), "after reopening round " + round);
                if (whole != null) return whole + replay(dir.resolveSibling(dir.getFileName() + "-replay"), spec, new ArrayList<>(model.applied));
                VerifyReport report = index.verify(2, VerifyReport.Progress.NONE);
                if (report.checked().isEmpty()) return "verify checked nothing";
            }
            return null;
        } finally {
            index.close();
        }
    }

    private static PanavecIndex create(Path dir, String spec) throws IOException {
        return PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec(spec).schema(SCHEMA).threads(2).seed(3).create();
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private static Thread thread(CountDownLatch start, List<String> problems, Body body) {
        return Thread.ofPlatform().unstarted(() -> {
            try {
                start.await();
                body.run();
            } catch (Throwable e) {
                problems.add("thread failed: " + e);
            }
        });
    }

    private static void search(PanavecIndex index, Model model, Random r, boolean exact, List<String> problems, boolean[] writersDone) {
        for (int i = 0; i < 400 && problems.isEmpty(); i++) {
            if (writersDone[0] && i > 50) return;
            float[] q = TestData.random(1, DIM, r.nextLong())[0];
            boolean filtered = r.nextBoolean();
            SearchRequest req = SearchRequest.of(q, K).withEfSearch(48);
            if (filtered) req = req.withFilter("pos = 'n'");
            searches.incrementAndGet();
            Op before = model.pendingOp;
            int from = model.versions.size() - 1;
            SearchResult res = index.search(req);
            long lookedUp = r.nextInt(IDS);
            Optional<Map<String, Object>> attrs = index.attributesOf(lookedUp);
            List<Version> window = model.window(from);
            // Every search must also be complete (min(k, matches) hits) and, on an exact index, the brute-force top k of
            // one version, also beside an upsert in flight (its new rows are published before its old ones die, and a
            // search that sees both keeps the newer). Only a delete by filter is not atomic to a search (its rows die
            // one by one): beside one only the invariants are asserted.
            List<Op> overlapping = new ArrayList<>();
            synchronized (model.applied) {
                overlapping.addAll(model.applied.subList(Math.min(from, model.applied.size()), model.applied.size()));
            }
            overlapping.add(before);
            overlapping.add(model.pendingOp);
            boolean complete = overlapping.stream().noneMatch(op -> op != null && op.kind() == Kind.DELETE_FILTER);
            if (!complete) inFlight.incrementAndGet();
            String why = consistent(res, req, window, exact, complete);
            if (why != null) problems.add("search from version " + from + " (" + window.size() + " versions possible): " + why);
            boolean attrsOk = false;
            for (Version v : window) {
                String p = v.pos().get(lookedUp);
                if (p == null ? attrs.isEmpty() : attrs.isPresent() && p.equals(attrs.get().get("pos"))) attrsOk = true;
            }
            // Beside an upsert in flight the id maps to its old row until the new one is published: always a value.
            if (!attrsOk) problems.add("attributesOf(" + lookedUp + ") = " + attrs + " from version " + from);
        }
    }

    /** Null when {@code res} is a correct answer of at least one of {@code versions}; otherwise why not (for the last one). */
    static String consistent(SearchResult res, SearchRequest req, List<Version> versions, boolean exact, boolean complete) {
        String why = null;
        for (int i = versions.size() - 1; i >= 0; i--) {
            why = answers(res, req, versions.get(i), exact, complete);
            if (why == null) return null;
        }
        return why + " (" + res.hits() + ", strategy " + res.strategy() + ")";
    }

    /**
     * Null when {@code res} is a correct answer of {@code v}: no duplicate, every hit live with the vector it was scored
     * on and passing the filter; when {@code complete}, also min(k, matches) hits and (exact) the brute-force top k.
     */
    static String answers(SearchResult res, SearchRequest req, Version v, boolean exact, boolean complete) {
        boolean filtered = req.filter() != null;
        List<Long> matching = v.vectors().keySet().stream().filter(id -> !filtered || v.pos().get(id).equals("n")).toList();
        Set<Long> seen = new HashSet<>();
        for (SearchHit h : res.hits()) {
            if (!seen.add(h.id())) return "duplicate id " + h.id();
            float[] vec = v.vectors().get(h.id());
            if (vec == null) return "id " + h.id() + " is not live";
            if (filtered && !v.pos().get(h.id()).equals("n")) return "id " + h.id() + " fails the filter";
            double bf = TestData.score(Metric.L2, req.query(), vec);
            if (Math.abs(bf - h.score()) > 1e-3 * Math.max(1, bf)) return "id " + h.id() + " scored " + h.score() + " but its live vector " + bf;
        }
        if (!complete) return null;
        if (res.size() != Math.min(req.k(), matching.size())) return res.size() + " hits, " + Math.min(req.k(), matching.size()) + " expected";
        if (exact) {
            double[] best = matching.stream().mapToDouble(id -> TestData.score(Metric.L2, req.query(), v.vectors().get(id))).sorted().limit(req.k()).toArray();
            for (int i = 0; i < best.length; i++) {
                if (Math.abs(best[i] - res.get(i).score()) > 1e-3 * Math.max(1, best[i])) return "hit " + i + " is not the brute-force top k";
            }
        }
        return null;
    }

    /** Every id of the id space as the model has it: vector, attributes, or absent. */
    static String wholeState(PanavecIndex index, Version v, String where) {
        if (index.size() != v.vectors().size()) return where + ": " + index.size() + " live vectors, the model has " + v.vectors().size();
        for (long id = 0; id < IDS; id++) {
            float[] want = v.vectors().get(id);
            Optional<float[]> got = index.vector(id);
            if (want == null && got.isPresent()) return where + ": deleted id " + id + " is back";
            if (want != null && (got.isEmpty() || !Arrays.equals(want, got.get()))) return where + ": id " + id + " lost or stale";
            if (want != null && !v.pos().get(id).equals(index.attributesOf(id).map(a -> a.get("pos")).orElse(null))) {
                return where + ": id " + id + " has stale attributes";
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ sequential replay and shrinking

    /** Replays {@code ops} in order on a fresh index, one search after each; shrinks a sequence that fails so. */
    static String replay(Path dir, String spec, List<Op> ops) throws IOException {
        if (sequentialFailure(dir, spec, ops) == null) {
            return "; not reproduced by a sequential replay of the " + ops.size() + " mutations in their recorded order "
                    + "(an interleaving failure: rerun the seed)";
        }
        List<Op> min = new ArrayList<>(ops);
        int chunk = Math.max(1, min.size() / 2);
        int attempt = 0;
        while (chunk >= 1) {
            boolean removed = false;
            for (int from = 0; from < min.size(); from += chunk) {
                List<Op> shorter = new ArrayList<>(min.subList(0, from));
                shorter.addAll(min.subList(Math.min(min.size(), from + chunk), min.size()));
                if (!shorter.isEmpty() && sequentialFailure(dir.resolveSibling(dir.getFileName() + "-" + attempt++), spec, shorter) != null) {
                    min = shorter;
                    removed = true;
                    break;
                }
            }
            if (!removed) chunk /= 2;
        }
        return "; reproduced sequentially, shrunk from " + ops.size() + " to " + min.size() + " mutations: " + min + " -> "
                + sequentialFailure(dir.resolveSibling(dir.getFileName() + "-min"), spec, min);
    }

    static String sequentialFailure(Path dir, String spec, List<Op> ops) throws IOException {
        deleteTree(dir);
        Model model = new Model();
        try (PanavecIndex index = create(dir, spec)) {
            Random r = new Random(ops.size());
            for (Op op : ops) {
                model.apply(index, op);
                float[] q = TestData.random(1, DIM, r.nextLong())[0];
                for (SearchRequest req : List.of(SearchRequest.of(q, K).withEfSearch(48), SearchRequest.of(q, K).withEfSearch(48).withFilter("pos = 'n'"))) {
                    String why = answers(index.search(req), req, model.last(), spec.equals("flat"), true);
                    if (why != null) return "after " + op + ": " + why;
                }
            }
            String whole = wholeState(index, model.last(), "at the end");
            if (whole != null) return whole;
        }
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            return wholeState(index, model.last(), "after reopening");
        } finally {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
