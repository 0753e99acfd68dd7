package io.panavec;

import io.panavec.attributes.Schema;
import io.panavec.engine.SearchEngine;
import io.panavec.filter.Filter;
import io.panavec.filter.Planner;
import io.panavec.internal.Checks;
import io.panavec.internal.Lifecycle;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A vector index in a directory: a memory-mapped {@link VectorStore} of the vectors (with external ids), an
 * index over it ({@link IndexSpec}: exact, panavec's HNSW graph, or a FAISS index), deleted rows, and a
 * manifest naming the files of the current version.
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
 * never returns a row that fails the filter, and returns min(k, matching rows) hits: the planner
 * picks an exact scan of the matching rows, a filter-aware graph walk or a post-filtered graph walk, and
 * an exact scan finishes any graph walk that found too few. The result names the strategy that ran.
 *
 * <p><b>Quantization.</b> A spec with {@code quant=<method>} ({@link IndexSpec.Quantized}) keeps codes of every
 * row in RAM (trained by {@link #train} or on the first batch added; LeanVec-OOD also needs {@link #trainQueries}),
 * encoded on add, written at {@link #commit()} as a code file switched with the manifest, loaded on open.
 * Unfiltered searches walk (hnsw) or scan (flat) the codes and re-rank {@link SearchRequest#withRerank} candidates
 * exactly; filtered searches take the full-precision path.
 * <p><b>External ids.</b> An id names one live vector: adding it again replaces the vector and its
 * attributes (upsert), {@link #delete} removes it, durably on return. {@link #delete}, {@link #rowOf} and
 * {@link #attributesOf} are O(1) from open on, through a persisted Chronicle Map of id to latest row and
 * record: a cache, rebuilt from the store's ids and the attribute files when it cannot be trusted
 * (Chronicle Map needs JVM flags on JDK 25, see README: "Use it from Java").
 *
 * <p><b>Thread safety.</b> Searches run concurrently with each other and with one mutation at a time
 * ({@link #add}, {@link #delete}, {@link #commit} are serialized by an internal lock). {@link #close()}
 * waits for calls in flight; afterwards every method throws {@link IllegalStateException}.
 */
public final class PanavecIndex implements AutoCloseable {
    private final IndexParts parts;
    private final VectorStore store;
    private final SearchEngine engine;
    private final BatchSearch batch;
    private final IndexWrites writes;
    private final Metric metric;
    private final int dimension;
    private final Lifecycle lifecycle;

    PanavecIndex(IndexParts parts, int threads) {
        this.parts = parts;
        this.store = parts.store;
        this.engine = parts.engine;
        this.metric = parts.metric;
        this.dimension = store.dimension();
        this.lifecycle = new Lifecycle("PanavecIndex", parts.readOnly() ? parts.dir + " is open read-only" : null);
        this.batch = new BatchSearch(parts, threads);
        this.writes = new IndexWrites(parts, threads);
    }

    /** A builder for a new index in {@code dir} (created if needed; it must not hold an index yet). */
    public static PanavecIndexBuilder builder(Path dir) {
        return new PanavecIndexBuilder(dir);
    }

    /**
     * Opens the index in {@code dir} for reading and writing (one writing process at a time); a directory
     * this process may not write is opened {@link #openReadOnly read-only}.
     */
    public static PanavecIndex open(Path dir) throws IOException {
        return open(dir, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Opens the index in {@code dir} after the checks {@code verify} names; {@link Verify#FULL} also runs
     * {@link #verify} on all processors (it reads every committed vector and id) and throws
     * {@link CorruptIndexException} naming the file on a mismatch.
     */
    public static PanavecIndex open(Path dir, Verify verify) throws IOException {
        int threads = Runtime.getRuntime().availableProcessors();
        PanavecIndex index = open(dir, threads);
        if (verify == Verify.FULL) {
            try {
                index.verify(threads, VerifyReport.Progress.NONE);
            } catch (IOException | RuntimeException e) {
                index.close();
                throw e;
            }
        }
        return index;
    }

    /**
     * {@link Verify#FULL}'s checks of the committed state, on {@code threads} threads, with no mutation in flight
     * meanwhile: the manifest's seal, every component file's recorded length and CRC-32C, the store's header
     * against the manifest and every vector and id against their CRCs, the id map against the store. Returns
     * what it checked; a failed check is a {@link CorruptIndexException} naming the file.
     */
    public VerifyReport verify(int threads, VerifyReport.Progress progress) throws IOException {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        Objects.requireNonNull(progress, "progress");
        return lifecycle.readQuiesced(() -> IndexVerification.run(parts, threads, progress));
    }

    /** Opens the index in {@code dir}, using {@code threads} threads for catch-up linking and batches. */
    public static PanavecIndex open(Path dir, int threads) throws IOException {
        return open(dir, threads, !Files.isWritable(dir));
    }

    /**
     * Opens the index in {@code dir} for searching only: nothing in the directory is created, locked for
     * writing or modified (the id map is held in memory, built from the store's ids in O(rows)); every
     * mutation throws {@link IllegalStateException}. Works on a read-only file system.
     */
    public static PanavecIndex openReadOnly(Path dir) throws IOException {
        return open(dir, Runtime.getRuntime().availableProcessors(), true);
    }

    private static PanavecIndex open(Path dir, int threads, boolean readOnly) throws IOException {
        PanavecIndex index = new PanavecIndex(IndexOpening.open(dir, readOnly), threads);
        try { // rows committed to the store after the last manifest switch (in memory only when read-only)
            index.lifecycle.opening(index.writes::catchUp);
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
        return index;
    }

    public IndexSpec spec() {
        return parts.spec;
    }

    public Metric metric() {
        return metric;
    }

    public int dimension() {
        return dimension;
    }

    public Path directory() {
        return parts.dir;
    }

    /** Vectors stored, deleted ones included. */
    public long rows() {
        return store.size();
    }

    /** Vectors that searches can return. */
    public long size() {
        return store.size() - parts.deleted.cardinality();
    }

    /** Bytes of native memory the index structure itself holds (graph links, FAISS codes excluded). */
    public long graphBytes() {
        return engine.structureBytes();
    }

    /** Replaces the planner of filtered searches (tuning, tests); {@link Planner#DEFAULT} otherwise. Not persisted. */
    public void planner(Planner p) {
        batch.planner().costs(p);
    }

    /** The attribute schema (empty when the index has none). */
    public Schema schema() {
        return parts.attributes.schema();
    }

    /**
     * Adds the attributes of {@code more} that the schema does not have yet (after the existing ones; rows
     * added before have no value for them); an attribute it has already must keep its type. Durable with the
     * rows added next (a schema frame in the attribute log, the schema in the manifest at the next commit); an
     * index without attributes so far commits here, so that it has an attribute log from then on.
     */
    public void addAttributes(Schema more) {
        Objects.requireNonNull(more, "more");
        lifecycle.mutate(() -> parts.addAttributes(more));
    }

    /** A copy of the stored vector of {@code id} (unit length for {@link Metric#COSINE}, as searched); empty when unknown or deleted. */
    public Optional<float[]> vector(long id) {
        return lifecycle.read(() -> {
            long row = parts.ids().rowOf(id);
            return row < 0 || parts.deleted.get(row) ? Optional.<float[]>empty() : Optional.of(store.rowAsFloats(row));
        });
    }

    /** The attribute values of store row {@code row} (as {@link SearchHit#row()}); missing ones absent. */
    public Map<String, Object> attributes(long row) {
        return lifecycle.read(() -> parts.attributes.record(row));
    }

    /** Adds one vector under external id {@code id}, replacing the id's vector if it has one; searchable on return. */
    public void add(long id, float[] vector) {
        add(new long[] {id}, new float[][] {vector});
    }

    /** Adds vectors under external ids (ids[i] for vectors[i]); searchable on return. Upserts: see {@link #add(long[], float[][], List)}. */
    public void add(long[] ids, float[][] vectors) {
        add(ids, vectors, null);
    }

    /**
     * Adds vectors with their attribute values ({@code attributes.get(i)} for vectors[i], keys from the
     * schema; a missing key or null value is no value). Values are checked against the schema first: an
     * unknown attribute or wrongly typed value throws before anything is stored. {@code attributes} may be
     * null (no values).
     *
     * <p><b>Upsert.</b> An id that names a live vector is replaced, vector and attributes: its old row is
     * never returned again (before and after commit, reopen, compaction or a crash). In a batch that
     * repeats an id, the last one wins.
     */
    public void add(long[] ids, float[][] vectors, List<? extends Map<String, ?>> attributes) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(vectors, "vectors");
        if (ids.length != vectors.length) {
            throw new IllegalArgumentException(ids.length + " ids for " + vectors.length + " vectors");
        }
        Checks.requireVectors(vectors, dimension, "vector");
        engine.checkCanAdd();
        List<Object[]> records = parts.records(attributes, vectors.length);
        lifecycle.mutate(() -> writes.add(ids, metric.prepare(vectors), records));
    }

    /**
     * Trains a FAISS index that needs it (IVF, PQ, ...) or a quantized spec's quantizer (else trained on its
     * first batch added, at most 20,000 rows: a larger, representative sample here is better); rows added before are encoded now.
     */
    public void train(float[][] sample) {
        if (!engine.needsTraining()) {
            return;
        }
        Objects.requireNonNull(sample, "sample");
        Checks.requireVectors(sample, dimension, "training vector");
        lifecycle.mutate(() -> writes.train(metric.prepare(sample)));
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
        Checks.requireVectors(queries, dimension, "training query");
        lifecycle.mutate(() -> engine.trainQueries(metric.prepare(queries)));
    }

    /** Bytes per vector the quantized codes hold in RAM (0 if the index is not quantized or not trained yet). */
    public long codeBytesPerVector() {
        return engine.codeBytesPerVector();
    }

    /**
     * Deletes the vector with external id {@code id} (whatever its history: an id has one live row).
     * Returns whether it was live. Deleted rows are never returned; their space is kept (rebuild to
     * reclaim). O(1): the id is looked up in the id map. Durable on return (logged, fsynced).
     */
    public boolean delete(long id) {
        boolean[] any = {false};
        lifecycle.mutate(() -> any[0] = parts.delete(id));
        return any[0];
    }

    /** Deletes every live vector whose attributes match {@code filter}; returns how many. Durable on return. */
    public long delete(Filter filter) {
        Objects.requireNonNull(filter, "filter");
        long[] count = {0};
        lifecycle.mutate(() -> count[0] = parts.deleteMatching(filter));
        return count[0];
    }

    /** The store row of {@code id} (its latest row), empty when the id is unknown or deleted. O(1). */
    public OptionalLong rowOf(long id) {
        return lifecycle.read(() -> parts.liveRowOf(id));
    }

    /** The attribute values of {@code id}'s latest row (missing ones absent); empty if unknown or deleted. O(1). */
    public Optional<Map<String, Object>> attributesOf(long id) {
        return lifecycle.read(() -> parts.attributesOf(id));
    }

    /** Searches with {@code request}; hits best first, never a deleted vector. */
    public SearchResult search(SearchRequest request) {
        Objects.requireNonNull(request, "request");
        Checks.requireVector(request.query(), dimension, "query");
        return lifecycle.read(() -> batch.search(request));
    }

    /**
     * Answers many requests in one call, in order; each result is what {@link #search(SearchRequest)} returns for
     * that request (exact scores up to the last bits of the summation order). On an exact index the unfiltered
     * requests share one blocked scan that reads each row once per range of queries; otherwise, and for filtered
     * requests, each runs its own plan; the work is spread over the index's threads ({@link BatchSearch}).
     */
    public List<SearchResult> search(List<SearchRequest> requests) {
        BatchSearch.check(requests, dimension);
        return lifecycle.read(() -> batch.search(requests));
    }

    /** The top {@code k} of each query: {@link #search(List)} with one unfiltered request per query. */
    public List<SearchResult> searchBatch(float[][] queries, int k) {
        return search(BatchSearch.requests(queries, k));
    }

    /**
     * Makes the index durable as a new version: writes the graph / FAISS index and deleted rows under new
     * file names, fsyncs them, switches the manifest atomically, then removes the previous version's files.
     */
    public void commit() throws IOException {
        lifecycle.mutateIo(parts::commit);
    }

    /**
     * Unlinks deleted vectors from the graph (a rebuild over the live rows, on the index's threads) and
     * commits, so searches stop paying for tombstones. A no-op for flat and FAISS indexes, which skip
     * deleted rows with an allow-list.
     */
    public void compact() throws IOException {
        SearchEngine.Compaction[] step = {null};
        // The rebuild runs beside searches and adds; the swap below catches up with what changed meanwhile.
        lifecycle.mutateIo(() -> step[0] = writes.compaction());
        if (step[0] == null) {
            return;
        }
        lifecycle.exclusive(step[0]::apply, step[0]::discard); // no search or mutation in flight while the structure is swapped
        commit();
    }

    /** Waits for calls in flight, then closes the index files. Uncommitted index changes are dropped. */
    @Override
    public void close() throws IOException {
        lifecycle.close(() -> {
            batch.close();
            parts.close();
        });
    }
}
