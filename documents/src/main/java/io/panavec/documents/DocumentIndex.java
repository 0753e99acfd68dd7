package io.panavec.documents;

import io.panavec.Metric;
import io.panavec.PanavecIndex;
import io.panavec.SearchHit;
import io.panavec.SearchRequest;
import io.panavec.attributes.AttributeType;
import io.panavec.filter.Filter;
import io.panavec.attributes.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Documents (string id, embedding, text, metadata) in a {@link PanavecIndex}, built on its public API only:
 * the layer the LangChain4j and Spring AI adapters share.
 *
 * <p><b>Ids.</b> A string id is kept in its document's stored {@code _id} field; its panavec id is a slot
 * picked from the id's 64-bit SHA-256 prefix: the first of {@value IdSlots#PROBES} consecutive slots that
 * holds the same string id, or, for a new id, the first free one. Two ids whose hashes collide get different
 * slots, and the slot of an id is found again after reopen from the stored ids alone (no separate map).
 *
 * <p><b>Text and metadata</b> are stored beside the vector (panavec text attributes, durable with it) and
 * returned with every match; each metadata key is also an {@code any} attribute (added to the schema the first
 * time a document has it), which {@link MetadataFilter}s run on.
 *
 * <p><b>Durability.</b> Every addition, replacement and removal is durable when the call returns (panavec's
 * store, attribute log and delete log); adding an id that is present replaces it (panavec's upsert).
 *
 * <p><b>Thread safety.</b> Searches run concurrently with each other and with writes; writes (add, remove,
 * commit) are serialized on this object.
 */
public final class DocumentIndex implements AutoCloseable {
    static final String ID = "_id", TEXT = "_text", METADATA = "_meta", LIVE = "_doc";
    /** The longest string metadata value (panavec's keyword limit: string values are indexed for filters). */
    public static final int MAX_METADATA_CHARS = 16_384;
    private static final Schema BASE = Schema.builder().add(ID, AttributeType.TEXT).add(TEXT, AttributeType.TEXT)
            .add(METADATA, AttributeType.TEXT).add(LIVE, AttributeType.BOOLEAN).build();
    /** Every document (each holds {@code _doc = true}), as a filter: what removeAll and remove(null filter) delete. */
    private static final Filter ALL = Filter.eq(LIVE, true);

    private final PanavecIndex index;
    private final IdSlots slots;
    private volatile int efSearch;

    private DocumentIndex(PanavecIndex index, int efSearch, ToLongFunction<String> idHash) {
        this.index = index;
        this.slots = new IdSlots(index, idHash);
        this.efSearch = efSearch;
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /**
     * Opens the index in the directory if the directory holds anything (its dimension and metric must match);
     * creates it in a missing or empty directory.
     */
    public static final class Builder {
        private final Path dir;
        private int dimension;
        private Metric metric = Metric.COSINE;
        private String spec = "hnsw:M=16,efc=100";
        private int efSearch;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private ToLongFunction<String> idHash = IdSlots::sha256Prefix;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "directory");
        }

        public Builder dimension(int d) {
            this.dimension = d;
            return this;
        }

        /** {@link Metric#COSINE} (default) or {@link Metric#INNER_PRODUCT} (for unit-length embeddings). */
        public Builder metric(Metric m) {
            if (m == Metric.L2) {
                throw new IllegalArgumentException("relevance scores are defined for cosine and inner product, not L2");
            }
            this.metric = Objects.requireNonNull(m, "metric");
            return this;
        }

        /** A panavec index spec ({@code flat}, {@code hnsw:M=16,efc=100} (default), {@code faiss:...}). */
        public Builder spec(String s) {
            this.spec = Objects.requireNonNull(s, "spec");
            return this;
        }

        /** HNSW beam width of searches (0: panavec's default, max(k, 64)). */
        public Builder efSearch(int ef) {
            this.efSearch = ef;
            return this;
        }

        public Builder threads(int t) {
            this.threads = t;
            return this;
        }

        /** Tests: another id hash (e.g. one that makes every id collide). */
        Builder idHash(ToLongFunction<String> h) {
            this.idHash = h;
            return this;
        }

        public DocumentIndex build() throws IOException {
            PanavecIndex index;
            if (holdsFiles(dir)) {
                index = PanavecIndex.open(dir, threads);
                if ((dimension > 0 && index.dimension() != dimension) || index.metric() != metric || !index.schema().startsWith(BASE)) {
                    String found = index.dimension() + "-d " + index.metric() + " with attributes " + index.schema();
                    index.close();
                    throw new IOException(dir + " holds a " + found + ", not a " + (dimension > 0 ? dimension + "-d " : "") + metric
                            + " document index");
                }
            } else {
                if (dimension <= 0) {
                    throw new IllegalArgumentException("dimension must be set to create a document index");
                }
                index = PanavecIndex.builder(dir).dimension(dimension).metric(metric).spec(spec).threads(threads).schema(BASE).create();
            }
            return new DocumentIndex(index, efSearch, idHash);
        }

        private static boolean holdsFiles(Path dir) throws IOException {
            if (!Files.isDirectory(dir)) {
                return false;
            }
            try (var files = Files.list(dir)) {
                return files.findAny().isPresent();
            }
        }
    }

    public int dimension() {
        return index.dimension();
    }

    public Metric metric() {
        return index.metric();
    }

    /** Documents searchable. */
    public long size() {
        return index.size();
    }

    /** Sets the HNSW beam width of the searches from now on (0: panavec's default, max(k, 64)). */
    public void efSearch(int ef) {
        if (ef < 0) throw new IllegalArgumentException("efSearch must be >= 0, was " + ef);
        this.efSearch = ef;
    }

    /** The index underneath (for its statistics and tuning; write through this class, not directly). */
    public PanavecIndex index() {
        return index;
    }

    /**
     * Adds documents; a document whose id is present already replaces it (vector, text and metadata). A batch
     * that repeats an id keeps its last document. Everything is checked before anything is stored.
     */
    public synchronized void add(List<Document> documents) {
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < documents.size(); i++) {
            Document d = documents.get(i);
            if (d.id().isBlank()) {
                throw new IllegalArgumentException("document " + i + ": id cannot be blank");
            }
            last.put(d.id(), i);
        }
        List<Document> docs = new ArrayList<>(last.size());
        for (int i = 0; i < documents.size(); i++) {
            if (last.get(documents.get(i).id()) == i) docs.add(check(documents.get(i), i));
        }
        Set<String> newKeys = new LinkedHashSet<>();
        List<Map<String, Object>> records = new ArrayList<>(docs.size());
        for (Document d : docs) {
            Map<String, Object> rec = new HashMap<>();
            rec.put(ID, d.id());
            rec.put(LIVE, true);
            if (d.text() != null) rec.put(TEXT, d.text());
            if (!d.metadata().isEmpty()) rec.put(METADATA, MetadataCodec.encode(d.metadata()));
            for (Map.Entry<String, ?> e : d.metadata().entrySet()) {
                String attribute = MetadataCodec.attribute(Objects.requireNonNull(e.getKey(), "metadata key"));
                rec.put(attribute, MetadataCodec.filterValue(e.getValue()));
                if (!index.schema().has(attribute)) newKeys.add(attribute);
            }
            records.add(rec);
        }
        long[] ids = new long[docs.size()];
        float[][] vectors = new float[docs.size()][];
        Set<Long> taken = new java.util.HashSet<>();
        for (int i = 0; i < docs.size(); i++) {
            long slot = slots.find(docs.get(i).id()); // present: its slot, and panavec's upsert replaces the row
            if (slot < 0) slot = slots.free(docs.get(i).id(), taken);
            taken.add(slot);
            ids[i] = slot;
            vectors[i] = docs.get(i).vector();
        }
        if (!newKeys.isEmpty()) {
            Schema.Builder more = Schema.builder();
            newKeys.forEach(a -> more.add(a, AttributeType.ANY));
            index.addAttributes(more.build());
        }
        index.add(ids, vectors, records);
    }

    /** What panavec would refuse, refused before anything is stored (the whole batch or nothing). */
    private Document check(Document d, int i) {
        if (d.vector().length != index.dimension()) {
            throw new IllegalArgumentException("document " + i + " ('" + d.id() + "'): embedding of dimension " + d.vector().length
                    + ", the index has " + index.dimension());
        }
        for (float x : d.vector()) {
            if (!Float.isFinite(x)) throw new IllegalArgumentException("document " + i + " ('" + d.id() + "'): embedding holds " + x);
        }
        d.metadata().forEach((k, v) -> {
            if (MetadataCodec.filterValue(v) instanceof String s && s.length() > MAX_METADATA_CHARS) {
                throw new IllegalArgumentException("document " + i + " ('" + d.id() + "'): metadata '" + k + "' is longer than "
                        + MAX_METADATA_CHARS + " characters (keep long text in the document text)");
            }
        });
        return d;
    }

    /** Removes the documents with these ids (ids not present are ignored). */
    public synchronized void remove(Collection<String> ids) {
        for (String id : ids) {
            long slot = slots.find(id);
            if (slot >= 0) index.delete(slot);
        }
    }

    /** Removes every document matching {@code filter}; returns how many. */
    public synchronized long remove(MetadataFilter filter) {
        FilterTranslation.Result r = FilterTranslation.translate(filter, index.schema());
        return r.isNone() ? 0 : index.delete(r.filter() == null ? ALL : r.filter());
    }

    /** Removes every document. */
    public synchronized void removeAll() {
        index.delete(ALL);
    }

    /**
     * The {@code k} documents nearest to {@code query} that match {@code filter} (null: all) with a similarity
     * of at least {@code minSimilarity}, nearest first.
     */
    public List<Match> search(float[] query, int k, MetadataFilter filter, double minSimilarity, boolean withVectors) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, was " + k);
        }
        FilterTranslation.Result r = filter == null ? FilterTranslation.Result.ALL : FilterTranslation.translate(filter, index.schema());
        if (r.isNone() || index.size() == 0) {
            return List.of();
        }
        SearchRequest req = SearchRequest.of(query, k);
        if (efSearch > 0) req = req.withEfSearch(Math.max(k, efSearch));
        // Filtered or not, panavec returns min(k, matching documents) hits (its planner finishes a short walk exactly).
        List<SearchHit> hits = index.search(r.filter() != null ? req.withFilter(r.filter()) : req).hits();
        List<Match> out = new ArrayList<>(k);
        for (SearchHit h : hits) {
            if (h.score() < minSimilarity) {
                break; // best first
            }
            Map<String, Object> attrs = index.attributes(h.row());
            float[] vector = null;
            if (withVectors) {
                var v = index.vector(h.id());
                if (v.isEmpty()) continue; // removed since the search
                vector = v.get();
            }
            Object meta = attrs.get(METADATA);
            out.add(new Match((String) attrs.get(ID), h.score(), vector, (String) attrs.get(TEXT),
                    meta == null ? new HashMap<>() : MetadataCodec.decode((String) meta)));
        }
        return out;
    }

    /**
     * Commits the index (a new version of its files; the logs of additions and removals start afresh). Not
     * needed for durability: every write is durable when it returns.
     */
    public synchronized void commit() {
        try {
            index.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits and closes the index. */
    @Override
    public synchronized void close() throws IOException {
        try {
            index.commit();
        } finally {
            index.close();
        }
    }
}
