package io.panavec.attributes;

import io.panavec.persist.Commit;
import io.panavec.persist.Manifest;
import io.panavec.persist.ManifestKey;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How an index's attributes persist: a snapshot of the table per commit (a checksummed component file)
 * plus the log of records added since, replayed on open up to the store's committed rows.
 */
public final class AttributeFiles {
    private AttributeFiles() {}

    /** The table and its open log (null when read-only: nothing is truncated or opened for writing). */
    public record Opened(AttributeTable table, AttributeLog log) {}

    public static Opened open(Path dir, Manifest m, Schema schema, long storeRows, boolean readOnly) throws IOException {
        AttributeTable table = m.has(ManifestKey.ATTRIBUTES)
                ? AttributeTable.readSnapshot(m.verifiedFile(dir, ManifestKey.ATTRIBUTES), schema)
                : new AttributeTable(schema);
        Path logFile = m.path(dir, ManifestKey.ATTRIBUTES_LOG);
        List<AttributeLog.Frame> frames = new ArrayList<>();
        AttributeLog log = null;
        if (readOnly) {
            frames.addAll(AttributeLog.read(logFile, m.get(ManifestKey.INDEX_ID).orElse(null)));
        } else {
            log = AttributeLog.open(logFile, m.get(ManifestKey.INDEX_ID).orElse(null), frames);
        }
        try {
            replay(table, frames, storeRows, logFile);
        } catch (IOException | RuntimeException e) {
            if (log != null) log.close();
            throw e;
        }
        return new Opened(table, log);
    }

    /** Appends logged attribute records past the snapshot, up to the store's committed rows. */
    private static void replay(AttributeTable table, List<AttributeLog.Frame> frames, long storeRows, Path log) throws IOException {
        for (AttributeLog.Frame f : frames) {
            Schema grown = f.grownSchema();
            if (grown != null) { // the frames after it are in the grown form
                if (!grown.startsWith(table.schema())) {
                    throw new IOException(log + ": the attribute log grows the schema to '" + grown + "', which does not extend '"
                            + table.schema() + "'");
                }
                table.grow(grown);
                continue;
            }
            long have = table.rows();
            if (f.firstRow() + f.count() <= have || have >= storeRows) {
                continue;
            }
            if (f.firstRow() > have) {
                throw new IOException(log + ": the attribute log skips rows " + have + ".." + (f.firstRow() - 1));
            }
            List<Object[]> recs = table.decode(f.records(), f.count());
            int from = (int) (have - f.firstRow());
            int to = (int) Math.min(f.count(), storeRows - f.firstRow());
            table.append(recs.subList(from, to));
        }
        if (table.rows() < storeRows) {
            throw new IOException(log + ": rows " + table.rows() + ".." + (storeRows - 1) + " of the store have no attribute records "
                    + "(the log lost frames, or is not this index's log)");
        }
    }

    /** Writes the snapshot of this generation and starts its empty log; returns the log (close it if the commit fails). */
    public static AttributeLog commit(Commit c, AttributeTable table) throws IOException {
        c.write(ManifestKey.ATTRIBUTES, "attributes", "tbl", table::writeSnapshot);
        String logName = c.name("attributes", "log");
        AttributeLog log = AttributeLog.create(c.dir().resolve(logName), c.previous().get(ManifestKey.INDEX_ID).orElse(null));
        c.putFile(ManifestKey.ATTRIBUTES_LOG, logName);
        c.put(ManifestKey.ATTRIBUTES_SCHEMA, table.schema().text()); // grown since the last commit, perhaps
        return log;
    }
}
