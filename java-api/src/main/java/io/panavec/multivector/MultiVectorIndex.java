// Over 450 lines: it holds its public nested Builder (about 95 lines), kept nested so MultiVectorIndex.Builder stays source-compatible.
package io.panavec.multivector;

import io.panavec.IndexSpec;
import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import io.panavec.bindings.panavec_multivector_h;
import io.panavec.engine.Candidates;
import io.panavec.engine.Reranker;
import io.panavec.attributes.Schema;
import io.panavec.internal.Closeables;
import io.panavec.internal.Lifecycle;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.ElementType;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A multi-vector (late-interaction) index: each document is a set of token vectors, scored against a query
 * token set by Chamfer similarity, {@code sum over query tokens of the max over document tokens of <q, d>}.
 * Searched the MUVERA way: every document is also one {@linkplain FdeEncoder Fixed Dimensional Encoding}
 * held in an ordinary inner {@link PanavecIndex} (any {@link IndexSpec}: flat, HNSW, quantized, FAISS; the
 * document ids and attributes live there, so filters work as for single vectors), the query's FDE finds
 * {@linkplain MultiVectorRequest#candidates candidates} there, and {@link MaxSimReranker} re-ranks them by
 * exact Chamfer over the memory-mapped token vectors.
 *
 * <p>Directory: {@code manifest.properties} (shape and FDE config, written once), {@code fde-matrices.pvs} (the
 * FDE's random matrices), {@code tokens.pvs} and {@code offsets.pvs} ({@link TokenStore}), {@code fde/} (the
 * inner index).
 *
 * <p><b>Durability.</b> As {@link PanavecIndex}: {@link #add} makes documents searchable and their tokens, FDE
 * rows and attributes durable when it returns; {@link #delete} and the FDE index structure become durable at
 * {@link #commit()}. A kill -9 at any moment reopens with every document whose add returned (see
 * {@link TokenStore} for the order of the three commits and the recovery).
 *
 * <p><b>Upsert.</b> Adding an id again replaces the document: searches only ever return the id's latest row
 * (a stale row of the FDE index is skipped and the search widened until k live documents are found or none
 * are left), and {@link #delete} removes the id whatever its history.
 *
 * <p><b>Thread safety.</b> Searches run concurrently with each other and with one mutation at a time
 * ({@link #add}, {@link #delete}, {@link #commit} are serialized). {@link #close()} waits for calls in flight.
 */
public final class MultiVectorIndex implements AutoCloseable {
    static final String MATRICES_FILE = "fde-matrices.pvs";
    static final String TOKENS_FILE = "tokens.pvs";
    static final String OFFSETS_FILE = "offsets.pvs";
    static final String FDE_DIR = "fde";

    private static final ManifestKey<String> KIND = ManifestKey.text("kind");
    private static final String KIND_MULTIVECTOR = "multivector";
    private static final ManifestKey<Integer> TOKENS_DIMENSION = ManifestKey.integer("tokens.dimension");
    private static final ManifestKey<String> TOKENS_ELEMENT = ManifestKey.text("tokens.element");
    private static final ManifestKey<String> TOKENS = ManifestKey.text("tokens.file");
    private static final ManifestKey<String> OFFSETS = ManifestKey.text("offsets.file");
    private static final ManifestKey<FdeConfig> FDE_CONFIG = new ManifestKey<>("fde.config", FdeConfig::parse, FdeConfig::text);
    private static final ManifestKey<String> FDE_MATRICES = ManifestKey.text("fde.matrices.file");
    private static final ManifestKey<String> FDE_INDEX_DIR = ManifestKey.text("fde.index.dir");

    private final Path dir;
    private final int dimension;
    private final FdeEncoder encoder;
    private final TokenStore tokens;
    private final PanavecIndex fde;
    private final MaxSimReranker reranker;
    private final int threads;
    private final Lifecycle lifecycle = new Lifecycle("MultiVectorIndex", null);
    /** Set when an add failed between its commits; the writer then refuses further adds until reopened. */
    private volatile String broken;
    /** Test seam: run between an add's commits (0: after the tokens, 1: after the FDE rows) to stage a crash there. */
    static volatile java.util.function.IntConsumer crashPoint = stage -> { };

    private MultiVectorIndex(Path dir, int dimension, FdeEncoder encoder, TokenStore tokens, PanavecIndex fde, int threads) {
        this.dir = dir;
        this.dimension = dimension;
        this.encoder = encoder;
        this.tokens = tokens;
        this.fde = fde;
        this.reranker = new MaxSimReranker(tokens);
        this.threads = threads;
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** Fluent settings of a new multi-vector index. */
    public static final class Builder {
        private final Path dir;
        private int dimension;
        private ElementType elementType = ElementType.F32;
        private FdeConfig fde = FdeConfig.defaults();
        private IndexSpec spec = IndexSpec.hnsw(16, 100);
        private Schema schema = Schema.empty();
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /** Token vector dimension (required). */
        public Builder dimension(int d) {
            this.dimension = d;
            return this;
        }

        /** How token vectors are stored: F32 (default) or F16 (half the bytes; re-ranking widens in registers). */
        public Builder elementType(ElementType t) {
            if (t == ElementType.I8) {
                throw new IllegalArgumentException("token vectors are stored as F32 or F16");
            }
            this.elementType = Objects.requireNonNull(t, "elementType");
            return this;
        }

        public Builder fde(FdeConfig c) {
            this.fde = Objects.requireNonNull(c, "fde");
            return this;
        }

        public Builder fde(String c) {
            return fde(FdeConfig.parse(c));
        }

        /** The index over the FDEs (default {@code hnsw:M=16,efc=100}); any {@link IndexSpec}. */
        public Builder spec(IndexSpec s) {
            this.spec = Objects.requireNonNull(s, "spec");
            return this;
        }

        public Builder spec(String s) {
            return spec(IndexSpec.parse(s));
        }

        /** The typed attributes documents carry (none by default). */
        public Builder schema(Schema s) {
            this.schema = Objects.requireNonNull(s, "schema");
            return this;
        }

        /** Threads for FDE encoding of batches and the FDE index build. */
        public Builder threads(int t) {
            if (t <= 0) {
                throw new IllegalArgumentException("threads must be positive, was " + t);
            }
            this.threads = t;
            return this;
        }

        public MultiVectorIndex create() throws IOException {
            if (dimension <= 0) {
                throw new IllegalArgumentException("dimension must be set to a positive value");
            }
            FdeMatrices matrices = FdeMatrices.draw(fde, dimension); // a bad config fails before any file is written
            Files.createDirectories(dir);
            if (Files.exists(dir.resolve(Manifest.FILE_NAME))) {
                throw new IOException(dir + " already holds an index; open it with MultiVectorIndex.open");
            }
            matrices.write(dir.resolve(MATRICES_FILE));
            FdeEncoder encoder = new FdeEncoder(matrices);
            TokenStore ts = null;
            PanavecIndex inner = null;
            try {
                ts = TokenStore.create(dir.resolve(TOKENS_FILE), dir.resolve(OFFSETS_FILE), dimension, elementType);
                inner = PanavecIndex.builder(dir.resolve(FDE_DIR)).dimension(fde.dimension()).metric(Metric.INNER_PRODUCT)
                        .spec(spec).schema(schema).threads(threads).create();
                Manifest m = Manifest.empty().with(KIND, KIND_MULTIVECTOR).with(TOKENS_DIMENSION, dimension)
                        .with(TOKENS_ELEMENT, elementType.name()).with(TOKENS, TOKENS_FILE).with(OFFSETS, OFFSETS_FILE)
                        .with(FDE_CONFIG, fde).with(FDE_MATRICES, MATRICES_FILE).with(FDE_INDEX_DIR, FDE_DIR);
                m.write(dir); // last: a directory without it is not an index
                return new MultiVectorIndex(dir, dimension, encoder, ts, inner, threads);
            } catch (IOException | RuntimeException e) {
                Closeables.closeAll(e, inner, ts, encoder);
                throw e;
            }
        }
    }

    /** Opens the index in {@code dir}, recovering after a crash (one writing process at a time). */
    public static MultiVectorIndex open(Path dir) throws IOException {
        return open(dir, Runtime.getRuntime().availableProcessors());
    }

    public static MultiVectorIndex open(Path dir, int threads) throws IOException {
        Manifest m = Manifest.read(dir);
        if (!KIND_MULTIVECTOR.equals(m.get(KIND).orElse(""))) {
            throw new IOException(dir + " is not a multi-vector index (open it with PanavecIndex.open)");
        }
        int dimension = m.require(TOKENS_DIMENSION);
        FdeConfig config = m.require(FDE_CONFIG);
        FdeEncoder encoder = new FdeEncoder(FdeMatrices.read(dir.resolve(m.require(FDE_MATRICES)), config, dimension));
        TokenStore ts = null;
        PanavecIndex inner = null;
        try {
            ts = TokenStore.open(dir.resolve(m.require(TOKENS)), dir.resolve(m.require(OFFSETS)));
            if (ts.tokens().dimension() != dimension) {
                throw new IOException(dir + ": the token store has dimension " + ts.tokens().dimension() + ", the manifest " + dimension);
            }
            Path innerDir = dir.resolve(m.require(FDE_INDEX_DIR));
            inner = PanavecIndex.open(innerDir, threads);
            if (inner.dimension() != config.dimension()) {
                throw new IOException(dir + ": the FDE index has dimension " + inner.dimension() + ", " + config + " gives " + config.dimension());
            }
            if (ts.documents() < inner.rows()) { // a crash between an add's FDE commit and its offsets commit
                try (VectorStore fdeRows = VectorStore.openReadOnly(innerDir.resolve(Manifest.read(innerDir).require(ManifestKey.STORE_FILE)))) {
                    ts.recover(inner.rows(), fdeRows::externalId);
                }
            } else {
                ts.recover(inner.rows(), r -> { throw new IllegalStateException("no document to recover"); });
            }
            checkOffsets(ts, dir);
            return new MultiVectorIndex(dir, dimension, encoder, ts, inner, threads);
        } catch (IOException | RuntimeException e) {
            Closeables.closeAll(e, inner, ts, encoder);
            throw e;
        }
    }

    /** Every offsets entry must lie inside the committed tokens, in order: the kernels trust them. O(documents). */
    private static void checkOffsets(TokenStore ts, Path dir) throws IOException {
        long end = 0;
        for (long d = 0, n = ts.documents(); d < n; d++) {
            long s = ts.start(d), c = ts.count(d);
            if (c < 1 || s < end || s + c > ts.tokenRows()) {
                throw new IOException(dir + ": offsets entry of document row " + d + " (first token " + s + ", " + c
                        + " tokens) does not fit the " + ts.tokenRows() + " committed token rows after row " + end);
            }
            end = s + c;
        }
    }

    // ---------------------------------------------------------------- writing

    /** Adds (or replaces) one document; searchable and durable on return. */
    public void add(long id, float[][] documentTokens) {
        add(new long[] {id}, new float[][][] {documentTokens}, null);
    }

    /** Adds (or replaces) one document with attribute values (keys from the schema). */
    public void add(long id, float[][] documentTokens, Map<String, ?> attributes) {
        add(new long[] {id}, new float[][][] {documentTokens}, attributes == null ? null : List.of(attributes));
    }

    /**
     * Adds (or replaces) documents: {@code documents[i]} (its token vectors) under {@code ids[i]}, with
     * {@code attributes.get(i)} (null: none). Everything is checked before anything is stored (empty token
     * sets, dimensions, NaN); a batch naming an id twice keeps the last. Batch adds: each call commits.
     */
    public void add(long[] ids, float[][][] documents, List<? extends Map<String, ?>> attributes) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(documents, "documents");
        if (ids.length != documents.length) {
            throw new IllegalArgumentException(ids.length + " ids for " + documents.length + " documents");
        }
        if (attributes != null && attributes.size() != documents.length) {
            throw new IllegalArgumentException(attributes.size() + " attribute records for " + documents.length + " documents");
        }
        int[] keep = lastOfEachId(ids);
        int n = keep.length;
        float[][] packed = new float[n][];
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            packed[i] = TokenSets.pack(documents[keep[i]], dimension, "document " + keep[i] + " (id " + ids[keep[i]] + ")");
            counts[i] = documents[keep[i]].length;
        }
        float[][] fdes = new float[n][];
        int kind = panavec_multivector_h.PV_FDE_DOCUMENT();
        IntStream range = IntStream.range(0, n);
        (n >= 64 && threads > 1 ? range.parallel() : range).forEach(i -> fdes[i] = encoder.encode(packed[i], counts[i], kind));
        long[] keptIds = new long[n];
        List<Map<String, ?>> keptAttributes = attributes == null ? null : new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keptIds[i] = ids[keep[i]];
            if (keptAttributes != null) keptAttributes.add(attributes.get(keep[i]));
        }
        lifecycle.mutate(() -> {
            if (broken != null) {
                throw new IllegalStateException(dir + ": an earlier add failed part-way (" + broken + "); reopen the index");
            }
            long first = fde.rows();
            if (first != tokens.documents()) {
                throw new IllegalStateException(dir + ": FDE rows " + first + " != documents " + tokens.documents());
            }
            long[] starts = tokens.appendTokens(first, packed, counts);
            try {
                crashPoint.accept(0);
                fde.add(keptIds, fdes, keptAttributes); // checks attributes before it stores anything
            } catch (RuntimeException e) {
                if (fde.rows() == first && (e instanceof IllegalArgumentException || e instanceof IllegalStateException)) {
                    tokens.sealDeadTokens(); // rejected before anything was stored: the tokens are dead space
                } else {
                    broken = String.valueOf(e.getMessage());
                }
                throw e;
            }
            try {
                crashPoint.accept(1);
                tokens.appendOffsets(keptIds, starts, counts);
            } catch (IOException | RuntimeException e) {
                broken = String.valueOf(e.getMessage());
                throw e;
            }
        });
    }

    /**
     * Trains the FDE index on the FDEs of sample documents: needed before the first add by FAISS specs that
     * train (IVF, PQ), better than the first batch for quantized specs; a no-op for the others.
     */
    public void train(float[][][] sampleDocuments) {
        Objects.requireNonNull(sampleDocuments, "sampleDocuments");
        if (sampleDocuments.length == 0) {
            throw new IllegalArgumentException("the training sample is empty");
        }
        float[][] fdes = new float[sampleDocuments.length][];
        IntStream.range(0, fdes.length).parallel().forEach(i -> fdes[i] = encoder.encodeDocument(sampleDocuments[i]));
        fde.train(fdes);
    }

    /** Positions of the last occurrence of each id, in order of those positions. */
    private static int[] lastOfEachId(long[] ids) {
        Map<Long, Integer> last = new LinkedHashMap<>();
        for (int i = 0; i < ids.length; i++) {
            last.put(ids[i], i);
        }
        if (last.size() == ids.length) {
            return IntStream.range(0, ids.length).toArray();
        }
        return last.values().stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Deletes the document {@code id}; returns whether it was live. Durable at {@link #commit()}. */
    public boolean delete(long id) {
        boolean[] any = {false};
        lifecycle.mutate(() -> any[0] = fde.delete(id));
        return any[0];
    }

    /** Makes deletes and the FDE index structure durable (tokens and FDE rows already are). */
    public void commit() throws IOException {
        lifecycle.mutateIo(fde::commit);
    }

    // ---------------------------------------------------------------- searching

    /**
     * The k documents of highest Chamfer similarity among the FDE index's candidates, best first; with a
     * filter only documents that satisfy it, and min(k, live matching documents) of them.
     * {@link SearchResult#candidatesScored()} is the number of documents re-ranked by exact Chamfer.
     */
    public SearchResult search(MultiVectorRequest request) {
        Objects.requireNonNull(request, "request");
        float[] q = TokenSets.pack(request.queryTokens(), dimension, "query");
        int nq = request.queryTokens().length;
        float[] fdeQuery = encoder.encode(q, nq, panavec_multivector_h.PV_FDE_QUERY());
        return lifecycle.read(() -> {
            int want = request.depth();
            List<SearchHit> live;
            String strategy;
            while (true) {
                SearchRequest r = SearchRequest.of(fdeQuery, want).withEfSearch(request.efSearch() > 0 ? request.efSearch() : Math.max(want, 64))
                        .withFilter(request.filter()).withRerank(request.fdeRerank());
                SearchResult found = fde.search(r);
                strategy = found.strategy();
                live = liveHits(found.hits());
                // Stale rows of replaced ids took places: widen until k live documents or the index is exhausted.
                if (live.size() >= Math.min(request.k(), want) || found.size() < want || want >= fde.rows()) {
                    break;
                }
                want = (int) Math.min(fde.rows(), 2L * want);
            }
            return rerank(q, nq, live, request.k(), "muvera[" + strategy + "]");
        });
    }

    /**
     * Exact Chamfer top-k over every live document (no FDE), best first: the oracle the FDE search
     * approximates. {@link SearchResult#candidatesScored()} is the number of documents scored.
     */
    public SearchResult searchExact(float[][] queryTokens, int k) {
        io.panavec.internal.Checks.requirePositiveK(k);
        float[] q = TokenSets.pack(queryTokens, dimension, "query");
        return lifecycle.read(() -> {
            try (Arena arena = Arena.ofConfined()) {
                float[] scores = reranker.scoreAll(reranker.prepare(q, queryTokens.length, arena), arena);
                Integer[] order = new Integer[scores.length];
                for (int i = 0; i < order.length; i++) order[i] = i;
                Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
                List<SearchHit> hits = new ArrayList<>(k);
                for (int i = 0; i < order.length && hits.size() < k; i++) {
                    long row = order[i];
                    long id = tokens.id(row);
                    if (isLatest(id, row)) {
                        hits.add(new SearchHit(id, row, scores[order[i]]));
                    }
                }
                return new SearchResult(hits, "exact-chamfer", scores.length);
            }
        });
    }

    /**
     * Re-ranks candidate documents from any first stage (a pooled-vector kNN, a token-level search, a keyword
     * query) by exact Chamfer: the k best of {@code ids} that are live, best first; unknown, deleted and repeated
     * ids are skipped. {@link SearchResult#candidatesScored()} is the number of documents scored.
     */
    public SearchResult rerank(float[][] queryTokens, long[] ids, int k) {
        io.panavec.internal.Checks.requirePositiveK(k);
        Objects.requireNonNull(ids, "ids");
        float[] q = TokenSets.pack(queryTokens, dimension, "query");
        return lifecycle.read(() -> {
            long docs = tokens.documents();
            List<SearchHit> candidates = new ArrayList<>(ids.length);
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (long id : ids) {
                var row = fde.rowOf(id);
                if (row.isPresent() && row.getAsLong() < docs && seen.add(id)) {
                    candidates.add(new SearchHit(id, row.getAsLong(), 0f));
                }
            }
            return rerank(q, queryTokens.length, candidates, k, "candidates");
        });
    }

    /** Hits whose row is the id's latest live row and whose offsets are committed. */
    private List<SearchHit> liveHits(List<SearchHit> hits) {
        long docs = tokens.documents();
        List<SearchHit> out = new ArrayList<>(hits.size());
        for (SearchHit h : hits) {
            if (h.row() < docs && isLatest(h.id(), h.row())) {
                out.add(h);
            }
        }
        return out;
    }

    private boolean isLatest(long id, long row) {
        var r = fde.rowOf(id);
        return r.isPresent() && r.getAsLong() == row;
    }

    /** Chamfer re-rank of live candidate rows through the engine seam's {@link Reranker.MaxSim}. */
    private SearchResult rerank(float[] q, int nq, List<SearchHit> candidates, int k, String strategy) {
        long[] rows = new long[candidates.size()];
        for (int i = 0; i < rows.length; i++) rows[i] = candidates.get(i).row();
        Reranker maxSim = new Reranker.MaxSim((tokens, docs) -> {
            try (Arena arena = Arena.ofConfined()) {
                return reranker.score(reranker.prepare(tokens, nq, arena), docs, arena);
            }
        });
        Candidates best = maxSim.rerank(q, null, new Candidates(rows, new float[rows.length], 0, strategy), k, true);
        List<SearchHit> hits = new ArrayList<>(best.size());
        for (int i = 0; i < best.size(); i++) {
            hits.add(new SearchHit(tokens.id(best.rows()[i]), best.rows()[i], best.scores()[i]));
        }
        return new SearchResult(hits, best.label(), best.scored());
    }

    // ---------------------------------------------------------------- shape and look-ups

    /** Token vector dimension. */
    public int dimension() {
        return dimension;
    }

    public FdeConfig fdeConfig() {
        return encoder.config();
    }

    /** The encoder of this index (its queries' and documents' FDEs). Owned by the index. */
    public FdeEncoder encoder() {
        return encoder;
    }

    public Path directory() {
        return dir;
    }

    /** Documents stored (rows of the FDE index, replaced and deleted ones included). */
    public long rows() {
        return fde.rows();
    }

    /** Token vectors stored (dead ones of replaced and deleted documents included). */
    public long tokenRows() {
        return tokens.tokenRows();
    }

    /** The token vectors of document {@code id} (a copy), empty when it is unknown or deleted. */
    public Optional<float[][]> tokensOf(long id) {
        return lifecycle.read(() -> {
            var row = fde.rowOf(id);
            if (row.isEmpty() || row.getAsLong() >= tokens.documents()) {
                return Optional.empty();
            }
            long s = tokens.start(row.getAsLong());
            float[][] out = new float[Math.toIntExact(tokens.count(row.getAsLong()))][];
            for (int i = 0; i < out.length; i++) out[i] = tokens.tokens().rowAsFloats(s + i);
            return Optional.of(out);
        });
    }

    /** The attribute values of document {@code id}, empty when it is unknown or deleted. */
    public Optional<Map<String, Object>> attributesOf(long id) {
        return fde.attributesOf(id);
    }

    /** Bytes per document the FDE index holds in RAM: quantized codes, or float FDEs when not quantized. */
    public long fdeBytesPerDocument() {
        long codes = fde.codeBytesPerVector();
        return codes > 0 ? codes : 4L * fde.dimension();
    }

    /** Bytes of native memory of the FDE index's graph (0 without one). */
    public long graphBytes() {
        return fde.graphBytes();
    }

    /** Waits for calls in flight, then closes every file. Uncommitted deletes are dropped. */
    @Override
    public void close() throws IOException {
        lifecycle.close(() -> {
            try {
                fde.close();
            } finally {
                try {
                    tokens.close();
                } finally {
                    encoder.close();
                }
            }
        });
    }
}
