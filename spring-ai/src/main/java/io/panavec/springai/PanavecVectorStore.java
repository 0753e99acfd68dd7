package io.panavec.springai;

import io.panavec.Metric;
import io.panavec.documents.DocumentIndex;
import io.panavec.documents.Match;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Spring AI {@link VectorStore} in a panavec index directory: embedded (no server), memory-mapped,
 * crash-safe, with filter expressions run on panavec's columnar attributes.
 *
 * <p>Documents keep their ids, text and metadata (String, numbers, Boolean, UUID values, with their types);
 * adding an id again replaces the document. The score of a result is the cosine similarity (as Spring AI's
 * {@code SimpleVectorStore}), {@code similarityThreshold} is compared with it, and the metadata of a result
 * also holds {@code distance} = 1 - score. Every filter expression type is translated (EQ, NE, GT, GTE, LT,
 * LTE, IN, NIN, AND, OR, NOT, ISNULL, ISNOTNULL); a document without the key fails EQ, IN and comparisons and
 * passes NE and NIN. Every addition, replacement and deletion is durable when the call returns.
 *
 * <p>Thread safety: searches run concurrently with each other and with writes; writes are serialized.
 */
public final class PanavecVectorStore implements VectorStore, AutoCloseable {
    /** The metadata key of a result's distance (1 - cosine similarity), as Spring AI's stores name it. */
    public static final String DISTANCE = "distance";

    private final DocumentIndex documents;
    private final EmbeddingModel embeddingModel;

    private PanavecVectorStore(DocumentIndex documents, EmbeddingModel embeddingModel) {
        this.documents = documents;
        this.embeddingModel = embeddingModel;
    }

    public static Builder builder(Path directory, EmbeddingModel embeddingModel) {
        return new Builder(directory, embeddingModel);
    }

    /** Opens the store in the directory if it holds one, otherwise creates it (of the model's dimension). */
    public static final class Builder {
        private final Path directory;
        private final EmbeddingModel embeddingModel;
        private String spec;
        private int efSearch;

        private Builder(Path directory, EmbeddingModel embeddingModel) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.embeddingModel = Objects.requireNonNull(embeddingModel, "embeddingModel");
        }

        /** The panavec index spec: {@code hnsw:M=16,efc=100} (default), {@code flat}, {@code faiss:<factory>}, ... */
        public Builder indexSpec(String s) {
            this.spec = s;
            return this;
        }

        /** HNSW beam width of searches (default: max(topK, 64)). */
        public Builder efSearch(int ef) {
            this.efSearch = ef;
            return this;
        }

        public PanavecVectorStore build() {
            DocumentIndex.Builder b = DocumentIndex.builder(directory).dimension(embeddingModel.dimensions()).metric(Metric.COSINE)
                    .efSearch(efSearch);
            if (spec != null) b.spec(spec);
            try {
                return new PanavecVectorStore(b.build(), embeddingModel);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String getName() {
        return "PanavecVectorStore";
    }

    @Override
    public void add(List<Document> docs) {
        Objects.requireNonNull(docs, "documents");
        List<io.panavec.documents.Document> out = new ArrayList<>(docs.size());
        for (Document d : docs) {
            if (!d.isText()) {
                throw new IllegalArgumentException("document " + d.getId() + " has no text (media documents are not supported)");
            }
            out.add(new io.panavec.documents.Document(d.getId(), embeddingModel.embed(d), d.getText(), d.getMetadata()));
        }
        documents.add(out);
    }

    @Override
    public void delete(List<String> ids) {
        Objects.requireNonNull(ids, "ids");
        documents.remove(ids);
    }

    @Override
    public void delete(Filter.Expression filterExpression) {
        Objects.requireNonNull(filterExpression, "filterExpression");
        documents.remove(FilterExpressions.from(filterExpression));
    }

    @Override
    public List<Document> similaritySearch(SearchRequest request) {
        Objects.requireNonNull(request, "request");
        float[] query = embeddingModel.embed(request.getQuery());
        List<Match> found = documents.search(query, request.getTopK(),
                request.hasFilterExpression() ? FilterExpressions.from(request.getFilterExpression()) : null,
                request.getSimilarityThreshold(), false);
        List<Document> out = new ArrayList<>(found.size());
        for (Match m : found) {
            Map<String, Object> metadata = new HashMap<>(m.metadata());
            metadata.put(DISTANCE, (float) (1 - m.similarity()));
            out.add(Document.builder().id(m.id()).text(m.text()).metadata(metadata).score(m.similarity()).build());
        }
        return out;
    }

    /** The document index underneath. */
    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> getNativeClient() {
        return Optional.of((T) documents);
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
