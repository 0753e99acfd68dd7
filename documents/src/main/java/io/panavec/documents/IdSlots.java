package io.panavec.documents;

import io.panavec.PanavecIndex;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * String id to panavec id: slot {@code h + j} ({@code j < PROBES}) where {@code h} is the id's 64-bit SHA-256
 * prefix, verified against the string id stored in the document (so a hash collision costs a probe, never a
 * wrong document). Lookups look at every probe slot, not only up to the first free one, because a removed
 * document frees a slot in the middle of another id's probe sequence. Reads the index only; callers serialize
 * writes.
 */
final class IdSlots {
    static final int PROBES = 16;

    private final PanavecIndex index;
    private final ToLongFunction<String> home;

    IdSlots(PanavecIndex index, ToLongFunction<String> home) {
        this.index = index;
        this.home = home;
    }

    static long sha256Prefix(String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) h = (h << 8) | (d[i] & 0xff);
            return h & Long.MAX_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static long slot(long home, int j) {
        return (home + j) & Long.MAX_VALUE;
    }

    /** The live slot holding {@code id}, or -1. */
    long find(String id) {
        long home = this.home.applyAsLong(id);
        for (int j = 0; j < PROBES; j++) {
            long s = slot(home, j);
            if (index.rowOf(s).isPresent() && holds(s, id)) {
                return s;
            }
        }
        return -1;
    }

    /** The first probe slot of {@code id} that is neither live nor in {@code taken} (slots of the same batch). */
    long free(String id, Set<Long> taken) {
        long home = this.home.applyAsLong(id);
        for (int j = 0; j < PROBES; j++) {
            long s = slot(home, j);
            if (!taken.contains(s) && index.rowOf(s).isEmpty()) {
                return s;
            }
        }
        throw new IllegalStateException("no free slot for id '" + id + "' among " + PROBES + " (" + PROBES + " colliding ids?)");
    }

    private boolean holds(long slot, String id) {
        Optional<Map<String, Object>> attrs = index.attributesOf(slot);
        return attrs.isPresent() && id.equals(attrs.get().get(DocumentIndex.ID));
    }
}
