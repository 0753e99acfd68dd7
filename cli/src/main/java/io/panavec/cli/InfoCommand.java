package io.panavec.cli;

import io.panavec.IndexInfo;
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
        IndexInfo info = IndexInfo.read(dir);
        Path storeFile = info.storeFile();
        try (VectorStore store = VectorStore.openReadOnly(storeFile)) {
            if (store.headerDamage() != null) { // the store opened at an older generation: it may hide committed rows
                throw new java.io.IOException(storeFile + ": damaged header " + store.headerDamage() + "; only generation "
                        + store.generation() + " (" + store.size() + " rows) is readable");
            }
            store.verify();
            System.out.println("index:      " + dir);
            System.out.println("spec:       " + info.spec());
            System.out.println("metric:     " + info.metric());
            System.out.println("vectors:    " + store.size() + " (" + info.committedRows() + " at the last index commit)");
            System.out.println("dimension:  " + store.dimension());
            System.out.println("element:    " + store.elementType());
            System.out.println("generation: " + info.generation());
            for (Path file : info.files()) {
                System.out.println("file:       " + file.getFileName() + " (" + Sizes.describe(file) + ")");
            }
            System.out.println("total:      " + Sizes.describeDirectory(dir));
            System.out.println("store checksum verified");
        }
        return 0;
    }
}
