package io.panavec.cli;

import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.VectorStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code panavec info}: what an index directory holds, after checking the store's data checksum. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Prints what an index directory holds (spec, metric, rows, files and their sizes) after verifying the store's checksum.")
final class InfoCommand implements Callable<Integer> {
    @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index directory.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        io.panavec.cli.input.InputFiles.requireDirectory(dir);
        Manifest manifest = Manifest.read(dir);
        Path storeFile = manifest.path(dir, ManifestKey.STORE_FILE);
        try (VectorStore store = VectorStore.openReadOnly(storeFile)) {
            if (store.headerDamage() != null) { // the store opened at an older generation: it may hide committed rows
                throw new java.io.IOException(storeFile + ": damaged header " + store.headerDamage() + "; only generation "
                        + store.generation() + " (" + store.size() + " rows) is readable");
            }
            store.verify();
            System.out.println("index:      " + dir);
            System.out.println("spec:       " + manifest.require(ManifestKey.INDEX_SPEC));
            System.out.println("metric:     " + manifest.require(ManifestKey.METRIC));
            System.out.println("vectors:    " + store.size() + " (" + manifest.require(ManifestKey.ROWS) + " at the last index commit)");
            System.out.println("dimension:  " + store.dimension());
            System.out.println("element:    " + store.elementType());
            System.out.println("generation: " + manifest.require(ManifestKey.GENERATION));
            for (ManifestKey<String> key : ManifestKey.fileKeys()) {
                if (manifest.has(key)) {
                    System.out.println("file:       " + manifest.require(key) + " (" + Sizes.describe(manifest.path(dir, key)) + ")");
                }
            }
            System.out.println("total:      " + Sizes.describeDirectory(dir));
            System.out.println("store checksum verified");
        }
        return 0;
    }
}
