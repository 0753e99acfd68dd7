package io.panavec;

import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What an index directory's manifest names, read without opening the index (no lock, no store mapping, no
 * engine loaded): for tools that describe an index ({@code panavec info}). Nothing here is checked beyond the
 * manifest itself and its file names; {@link PanavecIndex#verify} checks the files.
 *
 * @param spec          the spec as the manifest records it ({@link IndexSpec#text()} at create)
 * @param metric        the metric
 * @param committedRows store rows the last index commit covers (rows added since are linked again on open)
 * @param generation    the commit generation
 * @param storeFile     the vector store's file
 * @param files         every file the manifest names (store, id map, graph, codes, FAISS file, logs...), by key name
 */
public record IndexInfo(String spec, Metric metric, long committedRows, long generation, Path storeFile, List<Path> files) {
    public IndexInfo {
        files = List.copyOf(files);
    }

    /** Reads {@code dir}'s manifest. */
    public static IndexInfo read(Path dir) throws IOException {
        Manifest m = Manifest.read(dir);
        List<Path> files = new ArrayList<>();
        for (ManifestKey<String> key : ManifestKey.fileKeys()) {
            if (m.has(key)) {
                files.add(m.path(dir, key));
            }
        }
        return new IndexInfo(m.require(ManifestKey.INDEX_SPEC), Metric.valueOf(m.require(ManifestKey.METRIC)),
                m.require(ManifestKey.ROWS), m.require(ManifestKey.GENERATION), m.path(dir, ManifestKey.STORE_FILE), files);
    }
}
