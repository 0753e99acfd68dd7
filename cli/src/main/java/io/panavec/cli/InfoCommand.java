package io.panavec.cli;

import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code panavec info}: what an index directory holds, after checking the store's data checksum. */
final class InfoCommand {
    private InfoCommand() {}

    static void run(Options opts) throws IOException {
        Path dir = opts.path("index");
        opts.requireAllUsed();
        Manifest manifest = Manifest.read(dir);
        Path storeFile = dir.resolve(manifest.require(ManifestKey.STORE_FILE));
        try (VectorStore store = VectorStore.openReadOnly(storeFile)) {
            store.verify();
            System.out.println("index:      " + dir);
            System.out.println("spec:       " + manifest.require(ManifestKey.INDEX_SPEC));
            System.out.println("metric:     " + manifest.require(ManifestKey.METRIC));
            System.out.println("vectors:    " + store.size() + " (" + manifest.require(ManifestKey.ROWS) + " at the last index commit)");
            System.out.println("dimension:  " + store.dimension());
            System.out.println("element:    " + store.elementType());
            System.out.println("generation: " + manifest.require(ManifestKey.GENERATION));
            for (Map.Entry<String, String> e : manifest.entries().entrySet()) {
                if (e.getKey().endsWith(".file")) {
                    Path f = dir.resolve(e.getValue());
                    System.out.printf("file:       %s (%,d bytes)%n", e.getValue(), Files.size(f));
                }
            }
            System.out.println("store checksum verified");
        }
    }
}
