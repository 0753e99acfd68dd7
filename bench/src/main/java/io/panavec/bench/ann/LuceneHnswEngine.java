package io.panavec.bench.ann;

import io.panavec.bench.TempDirs;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Lucene 10 HNSW the way Lucene users get it: documents with a {@link KnnFloatVectorField}
 * (DOT_PRODUCT) written by an {@link IndexWriter} with {@code Lucene99HnswVectorsFormat(M, beam)} into an
 * on-disk {@link FSDirectory}, force-merged to one segment, searched with {@link KnnFloatVectorQuery} on a
 * single-threaded {@link IndexSearcher}. The effort knob is the query's k (Lucene's candidate count,
 * "numCandidates"); the top {@code k} of its hits are returned.
 *
 * <p>Build threads: {@code threads} indexing threads (one in-memory segment and graph each), then the
 * force-merge joins the graphs with {@code threads} HNSW merge workers.
 *
 * <p>Thread safety: as {@link AnnEngine}.
 */
public final class LuceneHnswEngine implements AnnEngine {
    private static final String FIELD = "v";
    private static final String ORD = "ord";

    private final int m;
    private final int beamWidth;
    private Path dir;
    private Directory directory;
    private DirectoryReader reader;
    private IndexSearcher searcher;
    private int[] ordOfDoc;
    private int count;

    public LuceneHnswEngine(int m, int beamWidth) {
        this.m = m;
        this.beamWidth = beamWidth;
    }

    @Override
    public String name() {
        return "lucene-hnsw M=" + m + " beam=" + beamWidth;
    }

    @Override
    public String effortName() {
        return "k' (numCandidates)";
    }

    @Override
    public double build(float[][] base, int threads) throws IOException {
        dir = Files.createTempDirectory("annbench-lucene");
        count = base.length;
        ExecutorService mergeWorkers = Executors.newFixedThreadPool(threads);
        ExecutorService indexers = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        try {
            directory = FSDirectory.open(dir);
            KnnVectorsFormat format = threads > 1
                    ? new Lucene99HnswVectorsFormat(m, beamWidth, threads, mergeWorkers)
                    : new Lucene99HnswVectorsFormat(m, beamWidth);
            IndexWriterConfig config = new IndexWriterConfig()
                    .setCodec(new Lucene104Codec() {
                        @Override
                        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                            return format;
                        }
                    })
                    // One segment per indexing thread: no flush before commit.
                    .setRAMBufferSizeMB(1800)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
            try (IndexWriter writer = new IndexWriter(directory, config)) {
                List<Future<?>> parts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int part = t;
                    parts.add(indexers.submit(() -> {
                        for (int i = part; i < base.length; i += threads) {
                            Document doc = new Document();
                            doc.add(new KnnFloatVectorField(FIELD, base[i], AnnMetric.RUN.lucene()));
                            doc.add(new NumericDocValuesField(ORD, i));
                            writer.addDocument(doc);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : parts) {
                    f.get();
                }
                writer.forceMerge(1);
                writer.commit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while indexing", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("indexing failed", e.getCause());
            }
        } finally {
            indexers.shutdown();
            mergeWorkers.shutdown();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        reader = DirectoryReader.open(directory);
        if (reader.leaves().size() != 1) {
            throw new IllegalStateException("expected one segment after forceMerge(1), got " + reader.leaves().size());
        }
        searcher = new IndexSearcher(reader); // no executor: single-threaded search
        searcher.setQueryCache(null);
        ordOfDoc = mapDocsToOrdinals(reader.leaves().get(0).reader());
        return seconds;
    }

    /** Doc ids after the merge are not insertion order: map them back to base rows once, outside timing. */
    private static int[] mapDocsToOrdinals(LeafReader leaf) throws IOException {
        int[] map = new int[leaf.maxDoc()];
        NumericDocValues ords = leaf.getNumericDocValues(ORD);
        for (int d = 0; d < map.length; d++) {
            if (!ords.advanceExact(d)) {
                throw new IllegalStateException("doc " + d + " has no " + ORD);
            }
            map[d] = (int) ords.longValue();
        }
        return map;
    }

    @Override
    public double bytesPerVector() throws IOException {
        // .vec/.vemf: flat vectors; .vex/.vem: HNSW graph (the bench-only ord doc values are excluded).
        return TempDirs.size(dir, n -> n.endsWith(".vec") || n.endsWith(".vemf") || n.endsWith(".vex") || n.endsWith(".vem"))
                / (double) count;
    }

    @Override
    public String bytesNote() {
        return "on-disk vector + graph files of the merged segment (memory-mapped by Lucene)";
    }

    @Override
    public int[] search(float[] query, int k, int effort) throws IOException {
        TopDocs top = searcher.search(new KnnFloatVectorQuery(FIELD, query, Math.max(k, effort)), k);
        int[] ids = new int[top.scoreDocs.length];
        int i = 0;
        for (ScoreDoc sd : top.scoreDocs) {
            ids[i++] = ordOfDoc[sd.doc];
        }
        return ids;
    }

    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (directory != null) {
            directory.close();
            directory = null;
        }
        TempDirs.delete(dir);
    }
}
