package io.panavec;

import io.panavec.internal.IdMap;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;
import io.panavec.store.CorruptStoreException;
import io.panavec.store.VectorStore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Verify#FULL}: the committed state of an index checked file by file against what recorded it. The
 * manifest against its seal; each checksummed component file against the length and CRC-32C the manifest
 * recorded; the store's header against the manifest (owner, metric, dimension, element type, rows) and every
 * committed vector and id against the header's CRCs, in parallel; the id map against the store (each live
 * row's id maps to that row, with that row's attribute record). Run with no mutation in flight.
 */
final class IndexVerification {
    private IndexVerification() {}

    static VerifyReport run(IndexParts parts, int threads, VerifyReport.Progress progress) throws IOException {
        List<String> checked = new ArrayList<>();
        Path dir = parts.dir;
        Manifest m = Manifest.read(dir);
        checked.add(Manifest.FILE_NAME + ": " + m.entries().size() + " entries, "
                + (m.has(ManifestKey.CHECKSUM) ? "sealed by its CRC-32C" : "unsealed (written before 0.2)"));
        for (ManifestKey.FileKeys f : ManifestKey.COMPONENT_FILES) {
            if (!m.has(f)) continue;
            Path file = m.path(dir, f.file());
            if (m.has(f.bytes()) && (m.has(f.checksum()) || m.has(f.crc32c()))) {
                try {
                    m.verifiedFile(dir, f);
                } catch (IOException e) {
                    throw new CorruptIndexException(file, e);
                }
                checked.add(file.getFileName() + ": " + m.require(f.bytes()) + " bytes and CRC-32C as the manifest recorded");
            } else {
                checked.add(file.getFileName() + ": checked by its reader at open (no recorded checksum)");
            }
        }
        VectorStore store = parts.store;
        long rows = store.size();
        try {
            store.verify(threads, done -> progress.update("vectors", done, rows));
        } catch (CorruptStoreException e) {
            throw new CorruptIndexException(store.path(), e);
        }
        String owner = store.owner().isNone() ? "no owner recorded (created before 0.2)"
                : "owner index " + store.owner().indexId() + ", metric " + parts.metric;
        checked.add(store.path().getFileName() + ": " + rows + " rows of " + store.dimension() + " x " + store.elementType()
                + ", " + owner + "; CRC-32C of every vector and id as its header recorded");
        checkIdMap(parts, progress);
        checked.add((parts.readOnly() ? "id map (in memory, built from the store)" : parts.ids().fileName())
                + ": every live row's id maps to it (" + (rows - parts.deleted.cardinality()) + " live of " + rows + " rows)");
        return new VerifyReport(checked);
    }

    private static void checkIdMap(IndexParts parts, VerifyReport.Progress progress) throws IOException {
        long rows = parts.store.size();
        boolean records = !parts.attributes.schema().isEmpty();
        for (long row = 0; row < rows; row++) {
            if (parts.deleted.get(row)) continue;
            long id = parts.store.externalId(row);
            IdMap.Entry e = parts.ids().get(id);
            if (e == null || e.row() != row) {
                throw new CorruptIndexException(parts.dir.resolve(parts.ids().fileName()), "live row " + row + " has id " + id
                        + ", which the id map " + (e == null ? "does not know" : "maps to row " + e.row()));
            }
            if (records && !Arrays.equals(e.record(), parts.attributes.encodedRecord(row))) {
                throw new CorruptIndexException(parts.dir.resolve(parts.ids().fileName()), "the attribute record of id " + id
                        + " differs from row " + row + "'s in the attribute table");
            }
            if ((row & 0xFFFF) == 0xFFFF) progress.update("id map", row + 1, rows);
        }
        progress.update("id map", rows, rows);
    }
}
