package io.panavec.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * LangChain4j 1.19's own suite for stores with metadata filters (which includes {@code EmbeddingStoreIT} and
 * {@code EmbeddingStoreWithoutMetadataIT}), on one panavec store for the class, emptied before each test.
 */
class PanavecEmbeddingStoreWithFilteringIT extends EmbeddingStoreWithFilteringIT {
    @TempDir
    static Path dir;
    static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();
    static PanavecEmbeddingStore store;

    @BeforeAll
    static void open() {
        store = PanavecEmbeddingStore.builder().directory(dir.resolve("store")).dimension(MODEL.dimension()).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return store;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return MODEL;
    }

    @Override
    protected void clearStore() {
        store.removeAll();
    }

    /** ContainsString is translated (panavec's CONTAINS): its two tests run instead of the "unsupported" one. */
    @Override
    protected boolean supportsContains() {
        return true;
    }
}
