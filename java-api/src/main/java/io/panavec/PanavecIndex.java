package io.panavec;

import io.panavec.faiss.FaissIndex;
import io.panavec.faiss.SearchParams;
import io.panavec.filter.AttributeLog;
import io.panavec.filter.AttributeTable;
import io.panavec.filter.Planner;
import io.panavec.filter.Schema;
import io.panavec.graph.HnswGraph;
import io.panavec.graph.VectorView;
import io.panavec.internal.Checks;
import io.panavec.internal.IdMap;
import io.panavec.internal.RowBitset;
import io.panavec.internal.Rows;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;

/**
 * A vector index in a directory: a memory-mapped {@link VectorStore} of the vectors (with external ids), an
 * index over it ({@link IndexSpec}: exact, panavec's HNSW graph, or a FAISS index), deleted rows, and a
 * {@link Manifest} naming the files of the current version.
 *
 * <p><b>Visibility and durability.</b> {@link #add} makes vectors searchable when it returns, and their
 * store rows durable (one store commit per call: batch your adds). {@link #commit()} makes the index
 * files durable: they are written under new names, then the manifest is switched atomically, so a crash
 * at any moment reopens the previous version or the new one. Rows committed to the store after the last
 * manifest switch are linked again on open, so no committed vector is lost.
 *
 * <p><b>Cosine.</b> With {@link Metric#COSINE}, vectors and queries are normalized on the way in and
 * searched by inner product; the store holds the normalized vectors.
 *
 * <p><b>Attributes and filters.</b> An index built with a {@link Schema} takes typed attribute values with
 * each vector ({@link #add(long[], float[][], List)}), stored durably with it (logged before the vectors
 * are committed, snapshotted on {@link #commit()}). A {@link SearchRequest#withFilter filtered} search
 * never returns a row that fails the filter, and returns min(k, matching rows) hits: the {@link Planner}
 * picks an exact scan of the matching rows, a filter-aware graph walk or a post-filtered graph walk, and
 * an exact scan finishes any graph walk that found too few. The result names the strategy that ran.
 *
 * <p><b>Quantization.</b> A spec with {@code quant=<method>} ({@link IndexSpec.Quantized}) keeps codes of every
 * row in RAM (trained by {@link #train} or on the first batch added; LeanVec-OOD also needs {@link #trainQueries}),
 * encoded on add, written at {@link #commit()} as a code file switched with the manifest, loaded on open.
 * Unfiltered searches walk (hnsw) or scan (flat) the codes and re-rank {@link SearchRequest#withRerank} candidates
 * exactly; filtered searches take the full-precision path.
 * <p><b>External ids.</b> A persisted Chronicle Map ({@link IdMap}, named in the manifest) maps each external
 * id to its latest row and that row's attribute record, so {@link #delete}, {@link #rowOf} and
 * {@link #attributesOf} are O(1) from open on. It is a cache of the store's ids and the attribute files:
 * rebuilt from them when missing or untrusted, caught up on open with rows committed after the last
 * manifest switch. Filters never use it: they run on the columnar attributes and their bitmaps.
 * Chronicle Map needs JVM flags on JDK 25 (see README: "Use it from Java").
 *
 * <p><b>Thread safety.</b> Searches run concurrently with each other and with one mutation at a time
 * ({@link #add}, {@link #delete}, {@link #commit} are serialized by an internal lock). {@link #close()}
 * waits for calls in flight; afterwards every method throws {@link IllegalStateException}.
 */
public final class PanavecIndex implements AutoCloseable {
    static final String STORE_FILE = "vectors.pvs";

    private final Path dir;
    private final IndexSpec spec;
    private final Metric metric;
    private final int dimension;
    private final int threads;
    private final VectorStore store;
    private final FlatIndex flat;
    private volatile HnswGraph graph;    // hnsw spec only; replaced by compact()
    private final FaissIndex faiss;      // faiss spec only
    private final QuantizedCodes quant;  // quantized specs only (flat:quant=.., hnsw:..,quant=..)
    private final RowBitset deleted;
    private final AttributeTable attributes;   // empty schema when the index has none
    private final FilteredSearch filtered;
    private AttributeLog attributeLog;         // null without a schema; guarded by writer
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final ReentrantLock writer = new ReentrantLock();
    private final IdMap ids;             // external id -> latest row + attribute record
    private Manifest manifest;           // guarded by writer
    private boolean closed;

    private PanavecIndex(Path dir, IndexSpec spec, Metric metric, VectorStore store, HnswGraph graph, FaissIndex faiss,
                         QuantizedCodes quant, RowBitset deleted, Manifest manifest, int threads, AttributeTable attributes,
                         AttributeLog attributeLog, IdMap ids) {
        this.dir = dir;
        this.spec = spec;
        this.metric = metric;
        this.dimension = store.dimension();
        this.threads = threads;
        this.store = store;
        this.flat = FlatIndex.over(store, internalMetric(metric), threads);
        this.graph = graph;
        this.faiss = faiss;
        this.quant = quant;
        this.deleted = deleted;
        this.manifest = manifest;
        this.attributes = attributes;
        this.attributeLog = attributeLog;
        this.ids = ids;
        this.filtered = new FilteredSearch(store, flat, faiss, deleted, attributes, Planner.DEFAULT);
    }

    /** A builder for a new index in {@code dir} (created if needed; it must not hold an index yet). */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** Fluent settings of a new index. */
    public static final class Builder {
        private final Path dir;
        private int dimension;
        private Metric metric = Metric.COSINE;
        private IndexSpec spec = IndexSpec.hnsw(16, 100);
        private ElementType elementType = ElementType.F32;
        private int threads = Runtime.getRuntime().availableProcessors();
        private long seed = 42;
        private Schema schema = Schema.empty();

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        public Builder dimension(int d) {
            this.dimension = d;
            return this;
        }

        public Builder metric(Metric m) {
            this.metric = Objects.requireNonNull(m, "metric");
            return this;
        }

        public Builder spec(IndexSpec s) {
            this.spec = Objects.requireNonNull(s, "spec");
            return this;
        }

        public Builder spec(String s) {
            return spec(IndexSpec.parse(s));
        }

        /** How the store keeps vectors (F32 default; F16 halves the bytes, scored in float). */
        public Builder elementType(ElementType t) {
            this.elementType = Objects.requireNonNull(t, "elementType");
            return this;
        }

        /** Threads used to build (graph inserts, FAISS) and for batches. */
        public Builder threads(int t) {
            if (t <= 0) {
                throw new IllegalArgumentException("threads must be positive, was " + t);
            }
            this.threads = t;
            return this;
        }

        /** The typed attributes vectors carry (none by default). */
        public Builder schema(Schema s) {
            this.schema = Objects.requireNonNull(s, "schema");
            return this;
        }

        /** Seed of the graph's random levels. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public PanavecIndex create() throws IOException {
            if (dimension <= 0) {
                throw new IllegalArgumentException("dimension must be set to a positive value");
            }
            if (elementType == ElementType.I8) {
                throw new IllegalArgumentException("PanavecIndex takes float vectors: use F32 or F16 (int8 stores are searched with FlatIndex)");
            }
            if (!(spec instanceof IndexSpec.Flat) && elementType != ElementType.F32) {
                throw new IllegalArgumentException(spec.text() + " needs an F32 store");
            }
            Files.createDirectories(dir);
            if (Files.exists(dir.resolve(Manifest.FILE_NAME))) {
                throw new IOException(dir + " already holds an index; open it with PanavecIndex.open");
            }
            HnswGraph graph = null;
            FaissIndex faiss = null;
            VectorStore store = null;
            IdMap ids = null;
            try {
                // The index structure first: a bad spec fails before any file is written.
                if (spec.structure() instanceof IndexSpec.Hnsw h) {
                    graph = HnswGraph.create(dimension, internalMetric(metric), h.m(), h.efConstruction(), seed);
                } else if (spec instanceof IndexSpec.Faiss f) {
                    faiss = FaissIndex.create(dimension, f.factory(), internalMetric(metric));
                }
                store = VectorStore.builder(dir.resolve(STORE_FILE)).dimension(dimension).elementType(elementType).create();
                Manifest m = new Manifest(Map.of(
                        "index.spec", spec.text(),
                        "metric", metric.name(),
                        "dimension", Integer.toString(dimension),
                        "store.file", STORE_FILE,
                        "generation", "0",
                        "rows", "0"));
                if (!schema.isEmpty()) {
                    m = m.with("attributes.schema", schema.text());
                }
                QuantizedCodes quant = spec.quantization() == null ? null
                        : new QuantizedCodes(spec.quantization(), internalMetric(metric), dimension);
                AttributeTable table = new AttributeTable(schema);
                ids = IdMap.open(dir, null, 0, idSource(store, table), 8 + table.averageRecordBytes());
                PanavecIndex index = new PanavecIndex(dir, spec, metric, store, graph, faiss, quant, new RowBitset(0), m, threads,
                        table, null, ids);
                index.commit();
                return index;
            } catch (IOException | RuntimeException e) {
                if (graph != null) graph.close();
                if (faiss != null) faiss.close();
                if (ids != null) ids.close();
                if (store != null) store.close();
                throw e;
            }
        }
    }

    /** Opens the index in {@code dir} for reading and writing (one writing process at a time). */
    public static PanavecIndex open(Path dir) throws IOException {
        return open(dir, Runtime.getRuntime().availableProcessors());
    }

    /** Opens the index in {@code dir}, using {@code threads} threads for catch-up linking and batches. */
    public static PanavecIndex open(Path dir, int threads) throws IOException {
        Manifest m = Manifest.read(dir);
        IndexSpec spec = IndexSpec.parse(m.require("index.spec"));
        Metric metric = Metric.valueOf(m.require("metric"));
        int dimension = Integer.parseInt(m.require("dimension"));
        VectorStore store = VectorStore.open(dir.resolve(m.require("store.file")));
        HnswGraph graph = null;
        FaissIndex faiss = null;
        AttributeLog log = null;
        IdMap ids = null;
        try {
            if (store.dimension() != dimension) {
                throw new IOException(dir + ": the store has dimension " + store.dimension() + ", the manifest " + dimension);
            }
            long rows = Long.parseLong(m.require("rows"));
            if (store.size() < rows) {
                throw new IOException(dir + ": the store has " + store.size() + " committed rows, the manifest names " + rows);
            }
            RowBitset deleted = m.entries().containsKey("deleted.file")
                    ? RowBitset.read(dir.resolve(m.require("deleted.file")), Integer.parseUnsignedInt(m.require("deleted.crc32c")))
                    : new RowBitset(store.size());
            QuantizedCodes quant = null;
            if (spec.quantization() != null) { // codes of the manifest's rows; rows committed later are encoded by catchUp
                quant = m.entries().containsKey("codes.file")
                        ? loadCodes(dir, m, spec.quantization(), internalMetric(metric), dimension, rows)
                        : new QuantizedCodes(spec.quantization(), internalMetric(metric), dimension);
            }
            if (spec.structure() instanceof IndexSpec.Hnsw) {
                graph = HnswGraph.load(dir.resolve(m.require("graph.file")), dimension, internalMetric(metric));
            } else if (spec instanceof IndexSpec.Faiss) {
                Path file = dir.resolve(m.require("faiss.file"));
                checkFileCrc(file, Long.parseLong(m.require("faiss.bytes")), Integer.parseUnsignedInt(m.require("faiss.crc32c")));
                checkFaissDimension(file, dimension);
                faiss = FaissIndex.load(file, internalMetric(metric));
                if (faiss.size() != rows) { // the file is bound to the manifest's rows, not only to its own counts
                    throw new IOException(file + ": the FAISS index holds " + faiss.size() + " vectors, the manifest names " + rows);
                }
            }
            Schema schema = Schema.parse(m.get("attributes.schema", ""));
            AttributeTable table = new AttributeTable(schema);
            if (!schema.isEmpty()) {
                if (m.entries().containsKey("attributes.file")) {
                    table = AttributeTable.readSnapshot(dir.resolve(m.require("attributes.file")), schema,
                            Integer.parseUnsignedInt(m.require("attributes.crc32c")));
                }
                List<AttributeLog.Frame> frames = new ArrayList<>();
                log = AttributeLog.open(dir.resolve(m.require("attributes.log")), frames);
                replay(table, frames, store.size(), dir);
            }
            ids = IdMap.open(dir, m.entries().get("ids.file"), Long.parseLong(m.get("ids.rows", "0")), idSource(store, table),
                    8 + table.averageRecordBytes());
            PanavecIndex index = new PanavecIndex(dir, spec, metric, store, graph, faiss, quant, deleted, m, threads, table, log, ids);
            index.catchUp();
            return index;
        } catch (IOException | RuntimeException e) {
            if (graph != null) graph.close();
            if (faiss != null) faiss.close();
            if (log != null) log.close();
            if (ids != null) ids.close();
            store.close();
            throw e;
        }
    }

    /** The code file the manifest names, checked against its recorded size and checksum, then its own header. */
    private static QuantizedCodes loadCodes(Path dir, Manifest m, io.panavec.quant.QuantSpec spec, Metric metric, int dimension,
                                            long rows) throws IOException {
        Path file = dir.resolve(m.require("codes.file"));
        checkFileCrc(file, Long.parseLong(m.require("codes.bytes")), Integer.parseUnsignedInt(m.require("codes.crc32c")));
        return QuantizedCodes.load(file, spec, metric, dimension, rows);
    }

    /** Appends logged attribute records past the snapshot, up to the store's committed rows. */
    private static void replay(AttributeTable table, List<AttributeLog.Frame> frames, long storeRows, Path dir) throws IOException {
        for (AttributeLog.Frame f : frames) {
            long have = table.rows();
            if (f.firstRow() + f.count() <= have || have >= storeRows) {
                continue;
            }
            if (f.firstRow() > have) {
                throw new IOException(dir + ": the attribute log skips rows " + have + ".." + (f.firstRow() - 1));
            }
            List<Object[]> recs = table.decode(f.records(), f.count());
            int from = (int) (have - f.firstRow());
            int to = (int) Math.min(f.count(), storeRows - f.firstRow());
            table.append(recs.subList(from, to));
        }
        if (table.rows() < storeRows) {
            throw new IOException(dir + ": rows " + table.rows() + ".." + (storeRows - 1) + " of the store have no attribute records");
        }
    }

    /** The durable truth the id map is (re)built from: the store's ids, the attribute table's records. */
    private static IdMap.Source idSource(VectorStore store, AttributeTable table) {
        boolean noSchema = table.schema().isEmpty();
        return new IdMap.Source(store.size(), store::externalId, r -> noSchema ? new byte[0] : table.encodedRecord(r));
    }

    private static Metric internalMetric(Metric m) {
        return m == Metric.COSINE ? Metric.INNER_PRODUCT : m;
    }

    public IndexSpec spec() {
        return spec;
    }

    public Metric metric() {
        return metric;
    }

    public int dimension() {
        return dimension;
    }

    public Path directory() {
        return dir;
    }

    /** Vectors stored, deleted ones included. */
    public long rows() {
        return store.size();
    }

    /** Vectors that searches can return. */
    public long size() {
        return store.size() - deleted.cardinality();
    }

    /** Bytes of native memory the index structure itself holds (graph links, FAISS codes excluded). */
    public long graphBytes() {
        return graph == null ? 0 : graph.memoryBytes();
    }

    /** Adds one vector under external id {@code id}; searchable on return. */
    public void add(long id, float[] vector) {
        add(new long[] {id}, new float[][] {vector});
    }

    /** Replaces the planner of filtered searches (tuning, tests); {@link Planner#DEFAULT} otherwise. Not persisted. */
    public void planner(Planner p) {
        filtered.planner(p);
    }

    /** The attribute schema (empty when the index has none). */
    public Schema schema() {
        return attributes.schema();
    }

    /** The attribute values of store row {@code row} (as {@link SearchHit#row()}); missing ones absent. */
    public Map<String, Object> attributes(long row) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("PanavecIndex is closed");
            }
            return attributes.record(row);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Adds vectors under external ids (ids[i] for vectors[i]); searchable on return. */
    public void add(long[] ids, float[][] vectors) {
        add(ids, vectors, null);
    }

    /**
     * Adds vectors with their attribute values ({@code attributes.get(i)} for vectors[i], keys from the
     * schema; a missing key or null value is no value). Values are checked against the schema first: an
     * unknown attribute or wrongly typed value throws before anything is stored. {@code attributes} may be
     * null (no values).
     */
    public void add(long[] ids, float[][] vectors, List<? extends Map<String, ?>> attributes) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(vectors, "vectors");
        if (ids.length != vectors.length) {
            throw new IllegalArgumentException(ids.length + " ids for " + vectors.length + " vectors");
        }
        for (int i = 0; i < vectors.length; i++) {
            Checks.requireVector(vectors[i], dimension, "vector " + i);
        }
        if (faiss != null && !faiss.isTrained()) {
            throw new IllegalStateException(spec.text() + " must be trained first: call train(sample)");
        }
        if (quant != null) {
            quant.checkCanEncode();
        }
        if (attributes != null && attributes.size() != vectors.length) {
            throw new IllegalArgumentException(attributes.size() + " attribute records for " + vectors.length + " vectors");
        }
        List<Object[]> records = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            records.add(this.attributes.normalize(attributes == null ? null : attributes.get(i), "vector " + i));
        }
        mutate(() -> {
            try (Arena arena = Arena.ofConfined()) {
                float[][] rows = vectors;
                if (metric == Metric.COSINE) {
                    rows = new float[vectors.length][];
                    for (int i = 0; i < vectors.length; i++) rows[i] = normalized(vectors[i]);
                }
                MemorySegment batch = Rows.pack(arena, rows, dimension);
                long first = store.size();
                if (attributeLog != null) { // durable before the rows they describe are committed
                    attributeLog.append(first, records.size(), this.attributes.encode(records));
                }
                if (store.elementType() == ElementType.F32) {
                    store.appendBatch(batch, ids, vectors.length);
                } else {
                    for (int i = 0; i < vectors.length; i++) {
                        store.append(ids[i], batch.asSlice((long) i * dimension * 4, (long) dimension * 4).toArray(ValueLayout.JAVA_FLOAT));
                    }
                }
                store.commit();
                this.attributes.append(records);
                deleted.ensureCapacity(store.size());
                boolean noSchema = this.attributes.schema().isEmpty();
                if (this.ids.coveredRows() < first) { // an earlier add failed between its store commit and its puts
                    this.ids.catchUp(new IdMap.Source(first, store::externalId, r -> noSchema ? new byte[0] : this.attributes.encodedRecord(r)));
                }
                for (int i = 0; i < ids.length; i++) {
                    this.ids.put(ids[i], first + i, noSchema ? new byte[0] : this.attributes.encodedRecord(first + i));
                }
                linkNewRows();
            }
        });
    }

    /**
     * Trains a FAISS index that needs it (IVF, PQ, ...) or the quantizer of a quantized spec on a sample; a
     * no-op for other kinds and once trained. A quantized index not trained explicitly trains on the rows of
     * its first batch added (at most {@value QuantizedCodes#TRAINING_ROWS}); training here on a larger,
     * representative sample is better. Rows added before are encoded now.
     */
    public void train(float[][] sample) {
        if (quant != null) {
            Objects.requireNonNull(sample, "sample");
            for (int i = 0; i < sample.length; i++) {
                Checks.requireVector(sample[i], dimension, "training vector " + i);
            }
            mutate(() -> {
                quant.train(metric == Metric.COSINE ? normalizedAll(sample) : sample);
                linkNewRows();
            });
            return;
        }
        if (faiss == null || faiss.isTrained()) {
            return;
        }
        for (int i = 0; i < sample.length; i++) {
            Checks.requireVector(sample[i], dimension, "training vector " + i);
        }
        mutate(() -> {
            float[][] s = sample;
            if (metric == Metric.COSINE) {
                s = new float[sample.length][];
                for (int i = 0; i < sample.length; i++) s[i] = normalized(sample[i]);
            }
            faiss.train(s);
        });
    }

    /**
     * Gives a quantized index a sample of queries to learn from (LeanVec-OOD needs it before the first add
     * or {@link #train}; other methods ignore it). Throws once the quantizer is trained.
     */
    public void trainQueries(float[][] queries) {
        Objects.requireNonNull(queries, "queries");
        if (queries.length == 0) {
            throw new IllegalArgumentException("the query sample is empty");
        }
        for (int i = 0; i < queries.length; i++) {
            Checks.requireVector(queries[i], dimension, "training query " + i);
        }
        if (quant == null) {
            return;
        }
        mutate(() -> quant.trainQueries(metric == Metric.COSINE ? normalizedAll(queries) : queries));
    }

    /** Bytes per vector the quantized codes hold in RAM (0 if the index is not quantized or not trained yet). */
    public long codeBytesPerVector() {
        return quant == null ? 0 : quant.bytesPerVector();
    }

    private static float[][] normalizedAll(float[][] v) {
        float[][] out = new float[v.length][];
        for (int i = 0; i < v.length; i++) out[i] = normalized(v[i]);
        return out;
    }

    /**
     * Deletes the vector with external id {@code id} (its latest row: adding an id again makes the new
     * row the one its id names). Returns whether it was live. Deleted rows are never returned; their
     * space is kept (rebuild to reclaim). O(1): the id is looked up in the id map.
     */
    public boolean delete(long id) {
        boolean[] any = {false};
        mutate(() -> {
            long row = ids.rowOf(id);
            if (row >= 0 && deleted.set(row)) {
                any[0] = true;
                if (graph != null) {
                    graph.markDeleted(row);
                }
            }
        });
        return any[0];
    }

    /** The store row of {@code id} (its latest row), empty when the id is unknown or deleted. O(1). */
    public OptionalLong rowOf(long id) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("PanavecIndex is closed");
            }
            long row = ids.rowOf(id);
            return row < 0 || deleted.get(row) ? OptionalLong.empty() : OptionalLong.of(row);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * The attribute values of {@code id} (its latest row; missing values absent), from the id map's
     * record; empty when the id is unknown or deleted. O(1).
     */
    public Optional<Map<String, Object>> attributesOf(long id) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("PanavecIndex is closed");
            }
            IdMap.Entry e = ids.get(id);
            if (e == null || deleted.get(e.row())) {
                return Optional.empty();
            }
            return Optional.of(attributes.schema().isEmpty() ? Map.of() : attributes.decodeRecord(e.record()));
        } catch (IOException e) {
            throw new UncheckedIOException("attribute record of id " + id + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Searches with {@code request}; hits best first, never a deleted vector. */
    public SearchResult search(SearchRequest request) {
        Objects.requireNonNull(request, "request");
        Checks.requireVector(request.query(), dimension, "query");
        float[] q = metric == Metric.COSINE ? normalized(request.query()) : request.query();
        int k = request.k();
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("PanavecIndex is closed");
            }
            if (request.filter() != null) {
                return filtered.search(graph, q, request);
            }
            if (quant != null) { // null: codes not trained yet, search full precision below
                SearchResult r = quant.search(graph, store, deleted, q, k,
                        request.efSearch() > 0 ? request.efSearch() : Math.max(k, 64), request.rerank());
                if (r != null) {
                    return r;
                }
            }
            if (graph != null) {
                VectorView view = VectorView.committed(store);
                HnswGraph.Result r = graph.search(view, q, k, request.efSearch() > 0 ? request.efSearch() : Math.max(k, 64), null);
                List<SearchHit> hits = new ArrayList<>(r.rows().length);
                for (int i = 0; i < r.rows().length; i++) {
                    hits.add(new SearchHit(store.externalId(r.rows()[i]), r.rows()[i], r.scores()[i]));
                }
                return new SearchResult(hits, "hnsw", r.distanceComputations());
            }
            try (Arena arena = Arena.ofConfined()) {
                long rows = store.size();
                MemorySegment allow = deleted.cardinality() == 0 ? null : deleted.complement(rows, arena);
                if (faiss != null) {
                    SearchParams p = SearchParams.defaults().withEfSearch(request.efSearch()).withNprobe(request.nprobe());
                    if (allow != null) {
                        p = p.withAllow(java.util.BitSet.valueOf(allow.toArray(ValueLayout.JAVA_LONG)));
                    }
                    io.panavec.faiss.SearchResult r = faiss.search(q, k, p);
                    List<SearchHit> hits = new ArrayList<>(r.size());
                    for (int i = 0; i < r.size(); i++) {
                        long row = r.ids()[i];
                        if (row >= 0 && row < rows) {
                            hits.add(new SearchHit(store.externalId(row), row, r.scores()[i]));
                        }
                    }
                    return new SearchResult(hits, "faiss:" + ((IndexSpec.Faiss) spec).factory(), -1);
                }
                return new SearchResult(flat.search(q, k, allow), "exact-scan", rows);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Makes the index durable as a new version: writes the graph / FAISS index and deleted rows under new
     * file names, fsyncs them, switches the manifest atomically, then removes the previous version's files.
     */
    public void commit() throws IOException {
        mutateIo(() -> {
            store.commit();
            long gen = Long.parseLong(manifest.require("generation")) + 1;
            Manifest next = manifest.with("generation", Long.toString(gen)).with("rows", Long.toString(store.size()))
                    .with("ids.file", ids.fileName()).with("ids.rows", Long.toString(ids.coveredRows()));
            List<String> written = new ArrayList<>();
            if (graph != null) {
                String name = String.format("graph-%06d.hnsw", gen);
                graph.save(dir.resolve(name));
                fsync(dir.resolve(name));
                written.add(name);
                next = next.with("graph.file", name);
            } else if (faiss != null) {
                String name = String.format("faiss-%06d.index", gen);
                Path file = dir.resolve(name);
                faiss.save(file);
                fsync(file);
                written.add(name);
                next = next.with("faiss.file", name).with("faiss.bytes", Long.toString(Files.size(file)))
                        .with("faiss.crc32c", Integer.toUnsignedString(fileCrc(file)));
            }
            long codeRows = -1;
            if (quant != null && quant.trained()) {
                if (quant.committedFileIsCurrent() && manifest.entries().containsKey("codes.file")) {
                    written.add(manifest.require("codes.file")); // no new rows: the named file stays (entries carried over)
                } else {
                    String name = String.format("codes-%06d.pvq", gen);
                    Path file = dir.resolve(name);
                    codeRows = quant.save(file); // fsyncs
                    written.add(name);
                    next = next.with("codes.file", name).with("codes.method", quant.spec().toString())
                            .with("codes.bytes", Long.toString(Files.size(file)))
                            .with("codes.crc32c", Integer.toUnsignedString(fileCrc(file)));
                }
            }
            AttributeLog newLog = null;
            if (!attributes.schema().isEmpty()) {
                String snap = String.format("attributes-%06d.tbl", gen);
                int crc = attributes.writeSnapshot(dir.resolve(snap));
                String logName = String.format("attributes-%06d.log", gen);
                newLog = AttributeLog.create(dir.resolve(logName));
                written.add(snap);
                written.add(logName);
                next = next.with("attributes.file", snap).with("attributes.crc32c", Integer.toUnsignedString(crc))
                        .with("attributes.log", logName);
            }
            if (deleted.cardinality() > 0) {
                String name = String.format("deleted-%06d.bits", gen);
                int crc = deleted.write(dir.resolve(name));
                written.add(name);
                next = next.with("deleted.file", name).with("deleted.crc32c", Integer.toUnsignedString(crc));
            }
            Manifest.syncDirectory(dir);
            Manifest previous = manifest;
            try {
                next.write(dir);
            } catch (IOException | RuntimeException e) {
                if (newLog != null) newLog.close();
                throw e;
            }
            manifest = next;
            if (codeRows >= 0) {
                quant.committed(codeRows);
            }
            if (newLog != null) {
                if (attributeLog != null) attributeLog.close();
                attributeLog = newLog;
            }
            for (String key : List.of("graph.file", "faiss.file", "codes.file", "deleted.file", "attributes.file", "attributes.log")) {
                String old = previous.entries().get(key);
                if (old != null && !written.contains(old)) {
                    Files.deleteIfExists(dir.resolve(old));
                }
            }
            ids.deleteStale(); // an id map outgrown since the previous commit
        });
    }

    /**
     * Unlinks deleted vectors from the graph (a rebuild over the live rows, on the index's threads) and
     * commits, so searches stop paying for tombstones. A no-op for flat and FAISS indexes, which skip
     * deleted rows with an allow-list.
     */
    public void compact() throws IOException {
        if (graph == null) {
            return;
        }
        HnswGraph[] fresh = {null};
        // The rebuild runs beside searches and adds; the swap below catches up with what changed meanwhile.
        mutateIo(() -> fresh[0] = graph.compacted(VectorView.committed(store), threads));
        lifecycle.writeLock().lock(); // no search or mutation in flight while the graph is swapped
        try {
            if (closed) {
                fresh[0].close();
                throw new IllegalStateException("PanavecIndex is closed");
            }
            fresh[0].addRange(VectorView.committed(store), threads);
            deleted.forEachSet(row -> {
                if (row < fresh[0].size()) fresh[0].markDeleted(row);
            });
            HnswGraph old = graph;
            graph = fresh[0];
            old.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
        commit();
    }

    /** Links store rows the index structure does not hold yet (after add, or rows recovered on open). */
    private void catchUp() {
        mutate(this::linkNewRows);
    }

    private void linkNewRows() {
        if (quant != null) { // before the graph links them: a walk over codes must find a code row for every node
            quant.encodeUpTo(store);
        }
        if (graph != null) {
            graph.addRange(VectorView.committed(store), threads);
        } else if (faiss != null && faiss.isTrained()) {
            long have = faiss.size();
            long rows = store.size();
            if (have < rows) {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment batch = arena.allocate(ValueLayout.JAVA_FLOAT, (rows - have) * dimension);
                    for (long r = have; r < rows; r++) {
                        MemorySegment.copy(store.row(r), 0, batch, (r - have) * dimension * 4L, dimension * 4L);
                    }
                    faiss.add(batch, rows - have);
                }
            }
        }
    }

    private interface Mutation {
        void run() throws IOException;
    }

    /** Runs a mutation under the writer lock; an I/O failure surfaces as {@link UncheckedIOException}. */
    private void mutate(Mutation body) {
        try {
            mutateIo(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private void mutateIo(Mutation body) throws IOException {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("PanavecIndex is closed");
            }
            writer.lock();
            try {
                body.run();
            } finally {
                writer.unlock();
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    static float[] normalized(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        if (s == 0) {
            return v.clone();
        }
        float inv = (float) (1 / Math.sqrt(s));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * inv;
        return out;
    }

    private static void fsync(Path file) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    static int fileCrc(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) crc.update(buf, 0, n);
        }
        return (int) crc.getValue();
    }

    /** Every FAISS index file starts with a four-character code and the dimension (int32, little-endian). */
    private static void checkFaissDimension(Path file, int dimension) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
            if (b.position() < 8 || b.getInt(4) != dimension) {
                throw new IOException(file + ": FAISS index has dimension " + (b.position() < 8 ? "?" : b.getInt(4))
                        + ", the store " + dimension);
            }
        }
    }

    private static void checkFileCrc(Path file, long bytes, int crc) throws IOException {
        long size = Files.size(file);
        if (size != bytes) {
            throw new IOException(file + ": " + size + " bytes, the manifest says " + bytes + ": truncated or replaced");
        }
        if (fileCrc(file) != crc) {
            throw new IOException(file + ": checksum mismatch: the file is corrupt");
        }
    }

    /** Waits for calls in flight, then closes the index files. Uncommitted index changes are dropped. */
    @Override
    public void close() throws IOException {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            flat.close();
            if (graph != null) graph.close();
            if (faiss != null) faiss.close();
            if (attributeLog != null) attributeLog.close();
            ids.close();
            store.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
