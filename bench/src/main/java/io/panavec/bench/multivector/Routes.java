package io.panavec.bench.multivector;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.SearchResult;
import io.panavec.multivector.FdeConfig;
import io.panavec.multivector.MultiVectorIndex;
import io.panavec.multivector.MultiVectorRequest;
import io.panavec.store.ElementType;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LateInteractionField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.LateInteractionRescorer;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The retrieval routes the multi-vector report compares, each over the same documents and answering top-10 by
 * Chamfer: build once, then search at a knob (the route's effort). Not thread-safe; one search thread.
 */
final class Routes {
    private Routes() {}

    /** Top-10 document ids and how many documents were scored by exact Chamfer for them. */
    record Answer(long[] ids, long reranked) {
        static Answer of(SearchResult r) {
            return new Answer(r.hits().stream().mapToLong(SearchHit::id).toArray(), r.candidatesScored());
        }
    }

    interface Route extends AutoCloseable {
        String name();

        String knobName();

        List<Integer> knobs();

        /** Builds over {@code docs}; returns seconds. */
        double build(TokenData docs) throws IOException;

        /** Bytes per document held in RAM by the search structure (what is not read from disk per query). */
        long ramBytesPerDocument();

        String ramNote();

        Answer search(float[][] query, int knob) throws IOException;

        @Override
        void close() throws IOException;
    }

    static final int K = 10;

    /** Adds every document to a multi-vector index in batches (ids = document rows). */
    static void addAll(MultiVectorIndex index, TokenData docs) {
        int batch = 2000;
        for (int from = 0; from < docs.size(); from += batch) {
            int to = Math.min(docs.size(), from + batch);
            index.add(IntStream.range(from, to).asLongStream().toArray(), Arrays.copyOfRange(docs.sets(), from, to), null);
        }
    }

    /** Exact Chamfer over every document with panavec's MaxSim kernel (reads the token store of {@code shared}). */
    static final class Exact implements Route {
        private final MultiVectorIndex index;

        Exact(MultiVectorIndex index) {
            this.index = index;
        }

        public String name() {
            return "exact Chamfer scan (panavec MaxSim kernel)";
        }

        public String knobName() {
            return "-";
        }

        public List<Integer> knobs() {
            return List.of(0);
        }

        public double build(TokenData docs) {
            return 0;
        }

        public long ramBytesPerDocument() {
            return 16;
        }

        public String ramNote() {
            return "offsets column only; every token vector is read per query";
        }

        public Answer search(float[][] query, int knob) {
            return Answer.of(index.searchExact(query, K));
        }

        public void close() {
        }
    }

    /** panavec MUVERA: FDEs in an inner index of {@code spec}, the top {@code candidates} re-ranked by Chamfer. */
    static final class Muvera implements Route {
        private final FdeConfig fde;
        private final String spec;
        private final ElementType tokens;
        private final List<Integer> knobs;
        /** Float FDE re-score depth of a quantized FDE index, as a multiple of the candidates (0: the index's default). */
        private final int fdeRerankFactor;
        private final Path dir;
        MultiVectorIndex index;
        /** A view sharing another route's index (built elsewhere; build() and close() do nothing). */
        private final boolean view;

        Muvera(FdeConfig fde, String spec, ElementType tokens, List<Integer> knobs, int fdeRerankFactor, Path dir) {
            this(fde, spec, tokens, knobs, fdeRerankFactor, dir, null);
        }

        private Muvera(FdeConfig fde, String spec, ElementType tokens, List<Integer> knobs, int fdeRerankFactor, Path dir, MultiVectorIndex shared) {
            this.fde = fde;
            this.spec = spec;
            this.tokens = tokens;
            this.knobs = knobs;
            this.fdeRerankFactor = fdeRerankFactor;
            this.dir = dir;
            this.index = shared;
            this.view = shared != null;
        }

        /** This route's built index searched with the quantized FDE candidates re-scored {@code factor} x deeper by float FDEs. */
        Muvera deeperFdeRerank(int factor) {
            return new Muvera(fde, spec, tokens, knobs, factor, dir, index);
        }

        public String name() {
            return "MUVERA " + fde.text().replace("fde:", "").replace(",fill=true", "").replace(",proj=dense", "").replace(",seed=42", "") + " (dim " + fde.dimension() + "), " + spec
                    + (tokens == ElementType.F16 ? ", f16 tokens" : "")
                    + (fdeRerankFactor > 0 ? ", float-FDE re-score of " + fdeRerankFactor + " x candidates" : "");
        }

        public String knobName() {
            return "candidates re-ranked";
        }

        public List<Integer> knobs() {
            return knobs;
        }

        public double build(TokenData docs) throws IOException {
            if (view) return 0;
            long t0 = System.nanoTime();
            if (Files.exists(dir.resolve("manifest.properties"))) { // built by an earlier run (-Dmv.work): open, do not rebuild
                index = MultiVectorIndex.open(dir, 2);
                if (!index.fdeConfig().equals(fde) || index.rows() != docs.size()) {
                    throw new IOException(dir + " holds " + index.rows() + " documents of " + index.fdeConfig() + ", not " + docs.size() + " of " + fde);
                }
                System.err.println("  reopened the index built earlier in " + dir + " (its build time is that run's)");
                return Double.NaN;
            }
            index = MultiVectorIndex.builder(dir).dimension(docs.sets()[0][0].length).elementType(tokens).fde(fde).spec(spec).threads(2).create();
            if (spec.startsWith("faiss:")) {
                index.train(Arrays.copyOf(docs.sets(), Math.min(docs.size(), 20_000)));
            }
            addAll(index, docs);
            index.commit();
            return (System.nanoTime() - t0) / 1e9;
        }

        public long ramBytesPerDocument() {
            long docs = Math.max(1, index.rows());
            return index.fdeBytesPerDocument() + index.graphBytes() / docs + 16;
        }

        public String ramNote() {
            return spec.contains("quant=") || spec.startsWith("faiss:")
                    ? "FDE codes + graph links + offsets; float FDEs and tokens stay on disk (read for candidates only)"
                    : "float FDE + graph links + offsets; tokens on disk (read for candidates only)";
        }

        public Answer search(float[][] query, int knob) {
            MultiVectorRequest r = MultiVectorRequest.of(query, K).withCandidates(knob);
            return Answer.of(index.search(fdeRerankFactor > 0 ? r.withFdeRerank(fdeRerankFactor * knob) : r));
        }

        public void close() throws IOException {
            if (index != null && !view) index.close();
        }
    }

    /** A first stage in a panavec HNSW index (M 16, efc 100, inner product) whose candidates {@code tokens} re-ranks by Chamfer. */
    abstract static class PanavecFirstStage implements Route {
        final MultiVectorIndex tokens;
        final Path dir;
        private final List<Integer> knobs;
        PanavecIndex index;

        PanavecFirstStage(MultiVectorIndex tokens, Path dir, List<Integer> knobs) {
            this.tokens = tokens;
            this.dir = dir;
            this.knobs = knobs;
        }

        public List<Integer> knobs() {
            return knobs;
        }

        /** Creates {@link #index} for vectors of {@code dimension}. */
        void createIndex(int dimension) throws IOException {
            index = PanavecIndex.builder(dir).dimension(dimension).metric(Metric.INNER_PRODUCT).spec("hnsw:M=16,efc=100").threads(2).create();
        }

        /** The best {@link #K} of {@code documentIds} by exact Chamfer with {@code query}. */
        Answer rerank(float[][] query, long[] documentIds) {
            return Answer.of(tokens.rerank(query, documentIds, K));
        }

        public void close() throws IOException {
            if (index != null) index.close();
        }
    }

    /** The pooled-vector route: HNSW over one mean-pooled vector per document, the top N re-ranked by Chamfer. */
    static final class Pooled extends PanavecFirstStage {
        Pooled(MultiVectorIndex tokens, Path dir, List<Integer> knobs) {
            super(tokens, dir, knobs);
        }

        public String name() {
            return "pooled vector: panavec HNSW M=16 efc=100 over mean-pooled docs + MaxSim re-rank";
        }

        public String knobName() {
            return "candidates re-ranked";
        }

        public double build(TokenData docs) throws IOException {
            long t0 = System.nanoTime();
            float[][] pooled = docs.pooled();
            createIndex(pooled[0].length);
            for (int from = 0; from < pooled.length; from += 10_000) {
                int to = Math.min(pooled.length, from + 10_000);
                index.add(IntStream.range(from, to).asLongStream().toArray(), Arrays.copyOfRange(pooled, from, to));
            }
            index.commit();
            return (System.nanoTime() - t0) / 1e9;
        }

        public long ramBytesPerDocument() {
            return 4L * index.dimension() + index.graphBytes() / Math.max(1, index.rows());
        }

        public String ramNote() {
            return "float pooled vector + graph links; tokens on disk (read for candidates only)";
        }

        public Answer search(float[][] query, int knob) {
            SearchResult r = index.search(SearchRequest.of(TokenData.pool(query), knob).withEfSearch(Math.max(knob, 64)));
            return rerank(query, r.hits().stream().mapToLong(SearchHit::id).toArray());
        }
    }

    /** The token-level route (ColBERT v1): HNSW over all token vectors, each query token's top k', the union re-ranked. */
    static final class TokenLevel extends PanavecFirstStage {
        private int[] docOfToken;
        private double tokensPerDoc;

        TokenLevel(MultiVectorIndex tokens, Path dir, List<Integer> knobs) {
            super(tokens, dir, knobs);
        }

        public String name() {
            return "token level: panavec HNSW M=16 efc=100 over all token vectors, union of each query token's top k' + MaxSim re-rank";
        }

        public String knobName() {
            return "k' per query token (ef = max(2k', 32))";
        }

        public double build(TokenData docs) throws IOException {
            long t0 = System.nanoTime();
            int dim = docs.sets()[0][0].length;
            docOfToken = new int[Math.toIntExact(docs.tokens())];
            if (Files.exists(dir.resolve("manifest.properties"))) { // built by an earlier run (-Dmv.work): open, do not rebuild
                index = PanavecIndex.open(dir);
                if (index.rows() != docs.tokens()) {
                    throw new IOException(dir + " holds " + index.rows() + " token vectors, not " + docs.tokens());
                }
                int t = 0;
                for (int d = 0; d < docs.size(); d++) {
                    for (int j = 0; j < docs.sets()[d].length; j++) docOfToken[t++] = d;
                }
                tokensPerDoc = (double) t / docs.size();
                System.err.println("  reopened the token index built earlier in " + dir + " (its build time is that run's)");
                return Double.NaN;
            }
            createIndex(dim);
            int t = 0;
            int batch = 20_000;
            float[][] buf = new float[batch][];
            long[] ids = new long[batch];
            int n = 0;
            for (int d = 0; d < docs.size(); d++) {
                for (float[] token : docs.sets()[d]) {
                    docOfToken[t] = d;
                    buf[n] = token;
                    ids[n++] = t++;
                    if (n == batch) {
                        index.add(ids, buf);
                        n = 0;
                    }
                }
            }
            if (n > 0) index.add(Arrays.copyOf(ids, n), Arrays.copyOf(buf, n));
            index.commit();
            tokensPerDoc = (double) t / docs.size();
            return (System.nanoTime() - t0) / 1e9;
        }

        public long ramBytesPerDocument() {
            return Math.round(tokensPerDoc * (4.0 * index.dimension() + (double) index.graphBytes() / Math.max(1, index.rows())));
        }

        public String ramNote() {
            return "float token vectors (searched by the graph) + graph links, per document";
        }

        public Answer search(float[][] query, int knob) {
            Set<Long> docs = new LinkedHashSet<>();
            for (float[] q : query) {
                for (SearchHit h : index.search(SearchRequest.of(q, knob).withEfSearch(Math.max(2 * knob, 32))).hits()) {
                    docs.add((long) docOfToken[(int) h.id()]);
                }
            }
            return rerank(query, docs.stream().mapToLong(Long::longValue).toArray());
        }
    }

    /** Lucene's route: KnnFloatVectorQuery over a pooled vector, then LateInteractionRescorer on a LateInteractionField. */
    static final class Lucene implements Route {
        private final Path dir;
        private final List<Integer> knobs;
        private Directory directory;
        private DirectoryReader reader;
        private IndexSearcher searcher;
        private int[] rowOfDoc;
        private int docs;

        Lucene(Path dir, List<Integer> knobs) {
            this.dir = dir;
            this.knobs = knobs;
        }

        public String name() {
            return "Lucene " + org.apache.lucene.util.Version.LATEST + ": KnnFloatVectorQuery (HNSW M=16 beam=100) over pooled + LateInteractionRescorer (DOT_PRODUCT)";
        }

        public String knobName() {
            return "k' (numCandidates = docs re-scored)";
        }

        public List<Integer> knobs() {
            return knobs;
        }

        public double build(TokenData data) throws IOException {
            long t0 = System.nanoTime();
            docs = data.size();
            Files.createDirectories(dir);
            directory = FSDirectory.open(dir);
            KnnVectorsFormat format = new Lucene99HnswVectorsFormat(16, 100);
            IndexWriterConfig config = new IndexWriterConfig().setCodec(new Lucene104Codec() {
                @Override
                public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                    return format;
                }
            }).setRAMBufferSizeMB(1024).setUseCompoundFile(false).setOpenMode(IndexWriterConfig.OpenMode.CREATE);
            float[][] pooled = data.pooled();
            try (IndexWriter writer = new IndexWriter(directory, config)) {
                for (int i = 0; i < docs; i++) {
                    Document doc = new Document();
                    doc.add(new KnnFloatVectorField("pooled", pooled[i], VectorSimilarityFunction.DOT_PRODUCT));
                    doc.add(new LateInteractionField("tokens", data.sets()[i]));
                    doc.add(new NumericDocValuesField("row", i));
                    writer.addDocument(doc);
                }
                writer.forceMerge(1);
                writer.commit();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            reader = DirectoryReader.open(directory);
            searcher = new IndexSearcher(reader);
            searcher.setQueryCache(null);
            LeafReader leaf = reader.leaves().get(0).reader();
            rowOfDoc = new int[leaf.maxDoc()];
            NumericDocValues rows = leaf.getNumericDocValues("row");
            for (int d = 0; d < rowOfDoc.length; d++) {
                rows.advanceExact(d);
                rowOfDoc[d] = (int) rows.longValue();
            }
            return seconds;
        }

        public long ramBytesPerDocument() throws IllegalStateException {
            try (var files = Files.list(dir)) {
                long vec = files.filter(p -> p.getFileName().toString().matches(".*\\.(vec|vex|vem|vemf)$")).mapToLong(p -> p.toFile().length()).sum();
                return vec / docs;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String ramNote() {
            return "pooled vector + graph files (.vec/.vex/.vem/.vemf); the LateInteractionField tokens are binary doc values on disk";
        }

        public Answer search(float[][] query, int knob) throws IOException {
            TopDocs first = searcher.search(new KnnFloatVectorQuery("pooled", TokenData.pool(query), knob), knob);
            TopDocs best = LateInteractionRescorer.create("tokens", query, VectorSimilarityFunction.DOT_PRODUCT).rescore(searcher, first, K);
            long[] ids = new long[best.scoreDocs.length];
            for (int i = 0; i < ids.length; i++) ids[i] = rowOfDoc[best.scoreDocs[i].doc];
            return new Answer(ids, first.scoreDocs.length);
        }

        public void close() throws IOException {
            if (reader != null) reader.close();
            if (directory != null) directory.close();
        }
    }

    /** recall@10 of one answer against ground truth rows. */
    static double recall(long[] found, int[] truth) {
        Set<Long> t = new HashSet<>();
        for (int i = 0; i < K; i++) t.add((long) truth[i]);
        Set<Long> seen = new HashSet<>();
        int hits = 0;
        for (int i = 0; i < Math.min(K, found.length); i++) {
            if (seen.add(found[i]) && t.contains(found[i])) hits++;
        }
        return hits / (double) K;
    }
}
