package io.panavec.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithRemovalIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** LangChain4j 1.19's own suite for stores that remove by id, by filter and all. */
class PanavecEmbeddingStoreWithRemovalIT extends EmbeddingStoreWithRemovalIT {
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

    /** The suite has no clear hook: each test starts from an empty store, as it expects. */
    @BeforeEach
    void empty() {
        store.removeAll();
    }

    @Override
    protected EmbeddingStore<TextSegment> embeddingStore() {
        return store;
    }

    @Override
    protected EmbeddingModel embeddingModel() {
        return MODEL;
    }
}
