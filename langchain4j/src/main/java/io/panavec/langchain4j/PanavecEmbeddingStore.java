package io.panavec.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import io.panavec.Metric;
import io.panavec.documents.Document;
import io.panavec.documents.DocumentIndex;
import io.panavec.documents.Match;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static dev.langchain4j.internal.Utils.randomUUID;
import static dev.langchain4j.internal.ValidationUtils.ensureNotBlank;
import static dev.langchain4j.internal.ValidationUtils.ensureNotEmpty;
import static dev.langchain4j.internal.ValidationUtils.ensureNotNull;

/**
 * A LangChain4j {@link EmbeddingStore} in a panavec index directory: embedded (no server), memory-mapped,
 * crash-safe, with metadata filters run on panavec's columnar attributes.
 *
 * <p>Ids are strings (random UUIDs when not given), text segments and their metadata are stored durably
 * beside the vectors and returned with each match; adding an id again replaces its embedding and segment.
 * Scores are LangChain4j relevance scores: cosine similarity mapped to [0, 1] as (cos + 1) / 2. Every
 * {@link Filter} of LangChain4j 1.19 is translated, {@code ContainsString} included, on metadata keys of every
 * type {@link Metadata} allows (String, UUID, Integer, Long, Float, Double), whether or not they existed when
 * the store was created. Every addition, replacement and removal is durable when the call returns.
 *
 * <p>Thread safety: searches run concurrently with each other and with writes; writes are serialized.
 */
public final class PanavecEmbeddingStore implements EmbeddingStore<TextSegment>, AutoCloseable {
    private final DocumentIndex documents;

    private PanavecEmbeddingStore(DocumentIndex documents) {
        this.documents = documents;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Opens the store in {@code directory} if it holds one, otherwise creates it (then {@code dimension} is required). */
    public static final class Builder {
        private Path directory;
        private int dimension;
        private Metric metric = Metric.COSINE;
        private String spec;
        private int efSearch;

        private Builder() {}

        public Builder directory(Path dir) {
            this.directory = dir;
            return this;
        }

        public Builder dimension(int d) {
            this.dimension = d;
            return this;
        }

        /** COSINE (default) or INNER_PRODUCT (embeddings of unit length); scores are (similarity + 1) / 2 either way. */
        public Builder metric(Metric m) {
            this.metric = m;
            return this;
        }

        /** The panavec index spec: {@code hnsw:M=16,efc=100} (default), {@code flat}, {@code faiss:<factory>}, ... */
        public Builder indexSpec(String s) {
            this.spec = s;
            return this;
        }

        /** HNSW beam width of searches (default: max(maxResults, 64)). */
        public Builder efSearch(int ef) {
            this.efSearch = ef;
            return this;
        }

        public PanavecEmbeddingStore build() {
            ensureNotNull(directory, "directory");
            DocumentIndex.Builder b = DocumentIndex.builder(directory).dimension(dimension).metric(metric).efSearch(efSearch);
            if (spec != null) b.spec(spec);
            try {
                return new PanavecEmbeddingStore(b.build());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String add(Embedding embedding) {
        String id = randomUUID();
        add(id, embedding);
        return id;
    }

    @Override
    public void add(String id, Embedding embedding) {
        addAll(List.of(id), List.of(embedding), null);
    }

    @Override
    public String add(Embedding embedding, TextSegment textSegment) {
        String id = randomUUID();
        addAll(List.of(id), List.of(embedding), textSegment == null ? null : List.of(textSegment));
        return id;
    }

    @Override
    public List<String> addAll(List<Embedding> embeddings) {
        List<String> ids = generateIds(embeddings.size());
        addAll(ids, embeddings, null);
        return ids;
    }

    @Override
    public void addAll(List<String> ids, List<Embedding> embeddings, List<TextSegment> embedded) {
        ensureNotNull(ids, "ids");
        ensureNotNull(embeddings, "embeddings");
        if (ids.size() != embeddings.size() || (embedded != null && embedded.size() != ids.size())) {
            throw new IllegalArgumentException(ids.size() + " ids, " + embeddings.size() + " embeddings"
                    + (embedded == null ? "" : ", " + embedded.size() + " segments") + ": the sizes must match");
        }
        List<Document> docs = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            TextSegment s = embedded == null ? null : embedded.get(i);
            docs.add(new Document(ensureNotBlank(ids.get(i), "id"), ensureNotNull(embeddings.get(i), "embedding").vector(),
                    s == null ? null : s.text(), s == null ? Map.of() : s.metadata().toMap()));
        }
        documents.add(docs);
    }

    @Override
    public void remove(String id) {
        removeAll(List.of(ensureNotBlank(id, "id")));
    }

    @Override
    public void removeAll(Collection<String> ids) {
        ensureNotEmpty(ids, "ids");
        ids.forEach(id -> ensureNotBlank(id, "id"));
        documents.remove(ids);
    }

    @Override
    public void removeAll(Filter filter) {
        ensureNotNull(filter, "filter");
        documents.remove(MetadataFilters.from(filter));
    }

    @Override
    public void removeAll() {
        documents.removeAll();
    }

    @Override
    public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
        ensureNotNull(request, "request");
        // score = (similarity + 1) / 2 >= minScore  <=>  similarity >= 2 minScore - 1
        List<Match> found = documents.search(request.queryEmbedding().vector(), request.maxResults(),
                request.filter() == null ? null : MetadataFilters.from(request.filter()), 2 * request.minScore() - 1, true);
        List<EmbeddingMatch<TextSegment>> matches = new ArrayList<>(found.size());
        for (Match m : found) {
            TextSegment segment = m.text() == null ? null : TextSegment.from(m.text(), new Metadata(m.metadata()));
            matches.add(new EmbeddingMatch<>((m.similarity() + 1) / 2, m.id(), Embedding.from(m.vector()), segment));
        }
        return new EmbeddingSearchResult<>(matches);
    }

    /** Commits the index (a new version of its files); writes are durable without it. */
    public void commit() {
        documents.commit();
    }

    /** The document index underneath (size, the panavec index and its statistics). */
    public DocumentIndex documents() {
        return documents;
    }

    @Override
    public void close() {
        try {
            documents.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
