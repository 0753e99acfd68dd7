package io.panavec.reliability;

import io.panavec.CorruptIndexException;
import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import io.panavec.VerifyReport;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import io.panavec.store.CorruptStoreException;
import io.panavec.store.VectorStore;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Child-JVM main of {@link CorruptionMatrixTest}: builds template indexes (HNSW with attributes, quantized codes,
 * FAISS) through three generations, then for every (file kind x corruption) case opens a damaged copy, verifies it
 * and searches it. Prints {@code START <case>} before each case and {@code OK <case> ...} or
 * {@code FAIL <case> <why>} after it, and {@code DONE <n>} at the end, so a JVM crash names the case it died in.
 *
 * <p>The oracle: a heap model of the index's history. The history is an add+delete+commit (generation 1), an
 * add with upserts + delete + commit (generation 2), then an add with an upsert and two deletes that only the
 * store and the logs hold (durable on return, no commit). A damaged index must either be refused with a
 * {@link CorruptIndexException} (or {@link CorruptStoreException}) naming the damaged file, having changed no file
 * (a log's torn tail may be cut only after it was copied aside), or open, verify and hold exactly the model's live
 * ids, vectors and attributes, answering each search exactly as the undamaged index does, every hit checked against
 * brute force. A truncated log may also give the state after a prefix of the post-commit operations: that is what a
 * crash during those appends leaves, and a log cut at a frame boundary cannot tell the two apart.
 */
public final class CorruptionMatrixChild {
    static final int DIM = 8;
    static final String[] KINDS = {"store.file", "graph.file", "codes.file", "faiss.file", "faiss-links.file", "attributes.file", "attributes.log",
            "deleted.file", "deleted.log", "ids.file", "manifest"};
    static final String[] TEMPLATES = {"hnsw:M=8,efc=16", "flat:quant=sq8", "faiss:HNSW8,Flat"};
    private static final int PAGE = 4096;

    /** The model after each step of the post-commit history: states[0] after generation 2, states[3] at the end. */
    record State(Map<Long, float[]> vectors, Map<Long, String> pos) {}

    static float[] vector(long id, int version) {
        return io.panavec.TestData.random(1, DIM, 7919L * id + version)[0];
    }

    static String pos(long id, int version) {
        return (id + version) % 3 == 0 ? "n" : "v";
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        boolean full = args.length > 1 && args[1].equals("full");
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        Random sample = new Random(seed);
        int cases = 0;
        int failures = 0;
        for (String spec : TEMPLATES) {
            String t = spec.substring(0, spec.indexOf(':'));
            Path template = root.resolve(t);
            Path stale = root.resolve(t + "-gen1");
            List<State> states = build(template, spec, 0, stale);
            Path other = root.resolve(t + "-other");
            build(other, spec, 1, null);
            Map<String, List<SearchResult>> reference = answers(copyIndex(template, root.resolve(t + "-reference")), states.get(3));
            Properties m = manifest(template);
            for (String kind : KINDS) {
                Path file = kind.equals("manifest") ? template.resolve("manifest.properties")
                        : m.getProperty(kind) == null ? null : template.resolve(m.getProperty(kind));
                if (file == null) continue;
                for (Corruption c : corruptions(kind, file, full, sample)) {
                    String name = t + "/" + kind + "/" + c.name;
                    System.out.println("START " + name);
                    System.out.flush();
                    Path dir = root.resolve("case-" + cases++);
                    String outcome;
                    try {
                        copyIndex(template, dir);
                        Path target = dir.resolve(file.getFileName());
                        c.apply(target, other.resolve(otherName(other, kind, file)), stale.resolve(staleName(stale, kind, file)));
                        outcome = check(dir, target, kind, c.name.startsWith("truncate"), states, reference);
                    } catch (Throwable e) {
                        outcome = "FAIL " + e;
                    }
                    if (outcome.startsWith("FAIL")) failures++;
                    System.out.println((outcome.startsWith("FAIL") ? "FAIL " : "OK ") + name + " " + outcome.replaceFirst("^FAIL ", ""));
                    System.out.flush();
                    deleteTree(dir);
                }
            }
        }
        System.out.println("DONE " + cases + " cases, " + failures + " failed");
    }

    // ------------------------------------------------------------------ the templates

    /** Builds the history into {@code dir}; copies generation 1 to {@code gen1} (when not null); returns the model's states. */
    static List<State> build(Path dir, String spec, int variant, Path gen1) throws IOException {
        Schema schema = Schema.builder().add("pos", AttributeType.KEYWORD).add("n", AttributeType.INT).build();
        Map<Long, float[]> vectors = new TreeMap<>();
        Map<Long, String> pos = new TreeMap<>();
        List<State> states = new ArrayList<>();
        try (PanavecIndex index = PanavecIndex.builder(dir).dimension(DIM).metric(Metric.L2).spec(spec).schema(schema).threads(1)
                .seed(7).create()) {
            add(index, vectors, pos, ids(0, 40), variant);
            delete(index, vectors, pos, 3);
            index.commit();
            if (gen1 != null) copyIndex(dir, gen1);
            long[] second = new long[45];
            for (int i = 0; i < 40; i++) second[i] = 40 + i;
            for (int i = 0; i < 5; i++) second[40 + i] = 10 + i; // upserts
            add(index, vectors, pos, second, variant + 1);
            delete(index, vectors, pos, 41);
            index.commit();
            states.add(snapshot(vectors, pos));
            long[] third = new long[21];
            for (int i = 0; i < 20; i++) third[i] = 80 + i;
            third[20] = 20;
            add(index, vectors, pos, third, variant + 2);
            states.add(snapshot(vectors, pos));
            delete(index, vectors, pos, 50);
            states.add(snapshot(vectors, pos));
            delete(index, vectors, pos, 85);
            states.add(snapshot(vectors, pos));
        }
        return states;
    }

    private static long[] ids(int from, int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = from + i;
        return ids;
    }

    private static void add(PanavecIndex index, Map<Long, float[]> vectors, Map<Long, String> pos, long[] ids, int version) {
        float[][] v = new float[ids.length][];
        List<Map<String, Object>> attrs = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            v[i] = vector(ids[i], version);
            attrs.add(Map.of("pos", pos(ids[i], version), "n", ids[i]));
            vectors.put(ids[i], v[i]);
            pos.put(ids[i], pos(ids[i], version));
        }
        index.add(ids, v, attrs);
    }

    private static void delete(PanavecIndex index, Map<Long, float[]> vectors, Map<Long, String> pos, long id) {
        index.delete(id);
        vectors.remove(id);
        pos.remove(id);
    }

    private static State snapshot(Map<Long, float[]> vectors, Map<Long, String> pos) {
        return new State(new TreeMap<>(vectors), new TreeMap<>(pos));
    }

    // ------------------------------------------------------------------ the corruptions

    @FunctionalInterface
    interface Damage {
        void apply(Path target, Path fromOther, Path fromGeneration1) throws IOException;
    }

    record Corruption(String name, Damage damage) {
        void apply(Path target, Path other, Path stale) throws IOException {
            damage.apply(target, other, stale);
        }
    }

    /** The corruptions of one file: flips at a spread of offsets, truncations, a zeroed page, another index's file, generation 1's. */
    static List<Corruption> corruptions(String kind, Path file, boolean full, Random sample) throws IOException {
        long length = Files.size(file);
        List<Long> offsets = new ArrayList<>();
        if (kind.equals("store.file")) {
            try (VectorStore s = VectorStore.openReadOnly(file)) {
                long rows = s.size();
                long data = 2L * PAGE;
                long ids = data + roundUp(s.rowsPerChunk() * s.rowBytes(), 64);
                for (long o : new long[] {0, 8, 12, 16, 20, 32, 40, 48, 56, 64, 72, PAGE + 32, PAGE + 60, data, data + rows * s.rowBytes() / 2,
                        data + rows * s.rowBytes() - 1, ids, ids + rows * 4, ids + rows * 8 - 1}) {
                    offsets.add(o);
                }
            }
        } else {
            for (long o : new long[] {0, 1, 4, 8, 12, 16, 24, length / 5, length / 3, length / 2, 2 * length / 3, length - 9, length - 1}) {
                if (o >= 0 && o < length && !offsets.contains(o)) offsets.add(o);
            }
        }
        List<Corruption> all = new ArrayList<>();
        for (long o : offsets) {
            all.add(new Corruption("flip@" + o, (t, other, stale) -> xor(t, o)));
        }
        long logical = kind.equals("store.file") ? 2L * PAGE + PAGE : length; // the store's first chunk holds every row
        all.add(new Corruption("truncate-0", (t, other, stale) -> truncate(t, 0)));
        all.add(new Corruption("truncate-half", (t, other, stale) -> truncate(t, Files.size(t) / 2)));
        all.add(new Corruption("truncate-minus-1", (t, other, stale) -> truncate(t, Files.size(t) - 1)));
        for (long page : new long[] {0, logical / PAGE / 2, Math.max(0, (logical - 1) / PAGE)}) {
            all.add(new Corruption("zero-page-" + page, (t, other, stale) -> zero(t, page * PAGE, PAGE)));
        }
        all.add(new Corruption("other-index", (t, other, stale) -> replace(t, other)));
        all.add(new Corruption("generation-1", (t, other, stale) -> replace(t, stale)));
        if (full) return all;
        // The sampled matrix: every kind of damage once per file, one flip at a sampled offset (two for the store).
        List<Corruption> some = new ArrayList<>();
        int flips = offsets.size();
        some.add(all.get(sample.nextInt(flips)));
        if (kind.equals("store.file")) some.add(all.get(sample.nextInt(flips)));
        some.add(all.get(flips + sample.nextInt(3)));
        some.add(all.get(flips + 3 + sample.nextInt(3)));
        some.add(all.get(flips + 6));
        some.add(all.get(flips + 7));
        return some;
    }

    private static long roundUp(long v, long a) {
        return (v + a - 1) / a * a;
    }

    static void xor(Path f, long at) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, at);
        }
    }

    static void truncate(Path f, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    static void zero(Path f, long from, int n) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            long end = Math.min(ch.size(), from + n);
            if (end > from) ch.write(ByteBuffer.allocate((int) (end - from)), from);
        }
    }

    static void replace(Path target, Path with) throws IOException {
        Files.deleteIfExists(target);
        if (Files.exists(with)) copyFile(with, target);
    }

    /** The other index's file of the same kind (its name may differ: its generations are its own). */
    private static String otherName(Path other, String kind, Path file) throws IOException {
        if (kind.equals("manifest")) return "manifest.properties";
        String name = manifest(other).getProperty(kind);
        return name == null ? file.getFileName().toString() : name;
    }

    private static String staleName(Path gen1, String kind, Path file) throws IOException {
        return otherName(gen1, kind, file);
    }

    // ------------------------------------------------------------------ the oracle

    static String check(Path dir, Path damaged, String kind, boolean truncated, List<State> states,
                        Map<String, List<SearchResult>> reference) throws IOException {
        Map<String, Long> before = fingerprints(dir);
        PanavecIndex index;
        try {
            index = PanavecIndex.open(dir, 1);
        } catch (CorruptStoreException e) {
            return refused(dir, damaged, e, before);
        } catch (Exception e) {
            return "FAIL untyped refusal " + e;
        }
        try (index) {
            try {
                VerifyReport report = index.verify(2, VerifyReport.Progress.NONE);
                Objects.requireNonNull(report);
            } catch (CorruptStoreException e) {
                return refused(dir, damaged, e, null);
            }
            int state = stateOf(index, states);
            boolean log = kind.endsWith(".log");
            if (state < 0) return "FAIL opened with a live set matching no state of the history (data lost or resurrected)";
            if (state < 3 && !(log && (truncated || tornCopyExists(dir)))) {
                return "FAIL opened at post-commit step " + state + " of 3 without a truncated log or a torn copy (operations lost)";
            }
            String wrong = checkAnswers(index, states.get(state), state == 3 ? reference : null);
            if (wrong != null) return "FAIL " + wrong;
            return "answered (state " + state + ")";
        }
    }

    private static String refused(Path dir, Path damaged, CorruptStoreException e, Map<String, Long> before) throws IOException {
        String name = damaged.getFileName().toString();
        boolean names = e instanceof CorruptIndexException c ? c.file().getFileName().toString().equals(name) || e.getMessage().contains(name)
                : e.getMessage().contains(name);
        if (!names) return "FAIL refused without naming " + name + ": " + e;
        if (before != null) {
            Map<String, Long> after = fingerprints(dir);
            for (var en : before.entrySet()) {
                if (en.getKey().equals("ids.open")) continue;
                Long now = after.get(en.getKey());
                if (!en.getValue().equals(now) && !tornCopyExists(dir)) {
                    return "FAIL refused, but " + en.getKey() + " was " + (now == null ? "removed" : "changed") + " by the attempt";
                }
            }
        }
        return "refused: " + e.getMessage().replace('\n', ' ');
    }

    private static boolean tornCopyExists(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().contains(".torn-"));
        }
    }

    /** Which state of the history the index holds (ids, vectors, attributes), or -1 when none. */
    static int stateOf(PanavecIndex index, List<State> states) {
        for (int i = states.size() - 1; i >= 0; i--) {
            if (holds(index, states.get(i))) return i;
        }
        return -1;
    }

    private static boolean holds(PanavecIndex index, State s) {
        if (index.size() != s.vectors().size()) return false;
        for (long id = 0; id < 100; id++) {
            float[] want = s.vectors().get(id);
            var got = index.vector(id);
            if (want == null ? got.isPresent() : got.isEmpty() || !java.util.Arrays.equals(want, got.get())) return false;
            if (want != null) {
                var attrs = index.attributesOf(id);
                if (attrs.isEmpty() || !s.pos().get(id).equals(attrs.get().get("pos")) || !Long.valueOf(id).equals(attrs.get().get("n"))) {
                    return false;
                }
            }
        }
        return true;
    }

    static List<SearchRequest> requests() {
        List<SearchRequest> r = new ArrayList<>();
        for (int q = 0; q < 4; q++) {
            float[] query = io.panavec.TestData.random(1, DIM, 424242 + q)[0];
            r.add(SearchRequest.of(query, 10).withEfSearch(64));
            r.add(SearchRequest.of(query, 10).withEfSearch(64).withFilter("pos = 'n'"));
        }
        return r;
    }

    /** The undamaged index's answers, checked against the model too. */
    static Map<String, List<SearchResult>> answers(Path dir, State s) throws IOException {
        try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
            String wrong = checkAnswers(index, s, null);
            if (wrong != null) throw new AssertionError("the undamaged template answers wrongly: " + wrong);
            return Map.of("all", index.search(requests()));
        }
    }

    /** Every hit live in the model, scored as brute force scores it, no duplicates, min(k, matches) hits; equal to {@code reference}. */
    static String checkAnswers(PanavecIndex index, State s, Map<String, List<SearchResult>> reference) {
        List<SearchRequest> requests = requests();
        List<SearchResult> got = new ArrayList<>();
        for (SearchRequest r : requests) got.add(index.search(r));
        for (int i = 0; i < requests.size(); i++) {
            SearchRequest r = requests.get(i);
            boolean filtered = r.filter() != null;
            long matching = s.vectors().keySet().stream().filter(id -> !filtered || s.pos().get(id).equals("n")).count();
            List<SearchHit> hits = got.get(i).hits();
            if (hits.size() != Math.min(r.k(), matching)) return "request " + i + ": " + hits.size() + " hits, expected " + Math.min(r.k(), matching);
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (SearchHit h : hits) {
                float[] v = s.vectors().get(h.id());
                if (v == null) return "request " + i + ": hit " + h.id() + " is not live";
                if (!seen.add(h.id())) return "request " + i + ": duplicate hit " + h.id();
                if (filtered && !s.pos().get(h.id()).equals("n")) return "request " + i + ": hit " + h.id() + " fails the filter";
                double bf = io.panavec.TestData.score(Metric.L2, r.query(), v);
                if (Math.abs(bf - h.score()) > 1e-3 * Math.max(1, Math.abs(bf))) {
                    return "request " + i + ": hit " + h.id() + " scored " + h.score() + ", brute force " + bf;
                }
            }
            if (reference != null) {
                SearchResult want = reference.get("all").get(i);
                List<Long> a = want.hits().stream().map(SearchHit::id).toList();
                List<Long> b = hits.stream().map(SearchHit::id).toList();
                if (!a.equals(b)) return "request " + i + ": hits " + b + ", the undamaged index answers " + a;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ files

    static Properties manifest(Path dir) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(dir.resolve("manifest.properties"))));
        return p;
    }

    /** Copies an index directory; the store's sparse tail stays sparse (only its first chunk holds rows here). */
    static Path copyIndex(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) copyFile(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    /** Copies a file; a store's unused (sparse) chunk space is left sparse: only its header, rows and ids are copied. */
    static void copyFile(Path from, Path to) throws IOException {
        List<long[]> ranges = new ArrayList<>();
        long size = Files.size(from);
        ranges.add(new long[] {0, size});
        if (from.getFileName().toString().equals("vectors.pvs")) {
            try (VectorStore s = VectorStore.openReadOnly(from)) {
                if (s.chunkCount() <= 1) {
                    long data = 2L * PAGE;
                    long ids = data + roundUp(s.rowsPerChunk() * s.rowBytes(), 64);
                    ranges = List.of(new long[] {0, data + s.size() * s.rowBytes() + PAGE}, new long[] {ids, ids + s.size() * 8 + PAGE});
                }
            } catch (IOException | RuntimeException e) {
                // not a readable store: copied whole
            }
        }
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long[] r : ranges) {
                long end = Math.min(size, r[1]);
                for (long pos = r[0]; pos < end; ) pos += in.transferTo(pos, end - pos, out.position(pos));
            }
            if (out.size() < size) out.write(ByteBuffer.allocate(1), size - 1);
        }
    }

    /** CRC-32C and length of the regions of each file that hold data (the store: its first 4 MiB). */
    static Map<String, Long> fingerprints(Path dir) throws IOException {
        Map<String, Long> out = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                CRC32C crc = new CRC32C();
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                    ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 4 << 20));
                    ch.read(b, 0);
                    crc.update(b.flip());
                    out.put(p.getFileName().toString(), crc.getValue() ^ (ch.size() << 32));
                }
            }
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
