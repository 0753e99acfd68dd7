package io.panavec.springai;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.test.vectorstore.BaseVectorStoreTests;
import org.springframework.ai.vectorstore.VectorStore;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Spring AI 2.0.1's own suite for vector stores (delete by id, by filter expression and by filter text). */
class PanavecVectorStoreIT extends BaseVectorStoreTests {
    @TempDir
    static Path dir;
    static PanavecVectorStore store;

    @BeforeAll
    static void open() {
        store = PanavecVectorStore.builder(dir.resolve("store"), new MiniLmEmbeddingModel()).build();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Override
    protected void executeTest(Consumer<VectorStore> testFunction) {
        testFunction.accept(store);
    }
}
