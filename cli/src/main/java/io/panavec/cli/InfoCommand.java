package io.panavec.cli;

import io.panavec.Manifest;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.nio.file.Path;

/** {@code panavec info}: what an index directory holds, after checking the store's data checksum. */
final class InfoCommand {
    private InfoCommand() {}

    static void run(Options opts) throws IOException {
        Path dir = opts.path("index");
        opts.requireAllUsed();
        Manifest manifest = Manifest.read(dir);
        Path storeFile = dir.resolve(manifest.require("store.file"));
        try (VectorStore store = VectorStore.openReadOnly(storeFile)) {
            store.verify();
            System.out.println("index:      " + dir);
            System.out.println("kind:       " + manifest.get("index.kind", "?"));
            System.out.println("metric:     " + manifest.require("metric"));
            System.out.println("vectors:    " + store.size());
            System.out.println("dimension:  " + store.dimension());
            System.out.println("element:    " + store.elementType());
            System.out.println("store:      " + storeFile.getFileName() + " (checksum verified)");
        }
    }
}
