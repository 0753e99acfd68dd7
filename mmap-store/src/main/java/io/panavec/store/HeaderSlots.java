package io.panavec.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads and writes the two header slots of a store file and picks the one to trust: the valid
 * slot with the highest generation. Stateless, thread-safe (uses positional channel I/O).
 */
final class HeaderSlots {
    private HeaderSlots() {
    }

    /**
     * The newest valid header of the file, after checking the file is long enough for it.
     *
     * @throws CorruptStoreException if the file is not a store, has an unsupported version, has no
     *     valid slot, or is shorter than its header says
     */
    static StoreHeader readNewest(FileChannel ch, Path path) throws IOException {
        long size = ch.size();
        if (size < StoreLayout.DATA_OFFSET) {
            ByteBuffer head = readFully(ch, 0, (int) Math.min(size, 8));
            if (size >= 8 && head.order(ByteOrder.LITTLE_ENDIAN).getLong(0) == StoreHeader.MAGIC) {
                throw new CorruptStoreException(path + ": truncated: expected at least " + StoreLayout.DATA_OFFSET
                        + " bytes of header, actual file size " + size + " bytes");
            }
            throw new CorruptStoreException(path + ": not a panavec store (file is only " + size + " bytes)");
        }
        StoreHeader.SlotRead s0 = StoreHeader.decode(0, readFully(ch, StoreHeader.slotOffset(0), StoreHeader.SLOT_BYTES));
        StoreHeader.SlotRead s1 = StoreHeader.decode(1, readFully(ch, StoreHeader.slotOffset(1), StoreHeader.SLOT_BYTES));
        StoreHeader best = choose(path, s0, s1);
        long required = best.layout().requiredFileBytes(best.committedRows());
        // Size again, after the header: a writer grows the file before publishing rows in a header,
        // so the size seen before reading the header may predate that growth.
        size = ch.size();
        if (size < required) {
            throw new CorruptStoreException(path + ": truncated: header generation " + best.generation() + " has "
                    + best.committedRows() + " committed rows needing " + required + " bytes, actual file size "
                    + size + " bytes");
        }
        return best;
    }

    /**
     * The damaged slot of a store that opened from its other slot ("slot 1: header checksum mismatch"),
     * or null when both are valid. Opening fell back past it: if it was the newer commit, rows committed
     * there are hidden, which only the caller (an index manifest naming its rows) can tell.
     */
    static String damagedSlot(FileChannel ch) throws IOException {
        StoreHeader.SlotRead s0 = StoreHeader.decode(0, readFully(ch, StoreHeader.slotOffset(0), StoreHeader.SLOT_BYTES));
        StoreHeader.SlotRead s1 = StoreHeader.decode(1, readFully(ch, StoreHeader.slotOffset(1), StoreHeader.SLOT_BYTES));
        for (StoreHeader.SlotRead s : new StoreHeader.SlotRead[] {s0, s1}) {
            if (s.header() == null) {
                return "slot " + s.slot() + ": " + s.detail();
            }
        }
        return null;
    }

    private static StoreHeader choose(Path path, StoreHeader.SlotRead s0, StoreHeader.SlotRead s1)
            throws CorruptStoreException {
        // A slot written by a newer format means a newer writer owns the file: never open its older slot.
        for (StoreHeader.SlotRead s : new StoreHeader.SlotRead[] {s0, s1}) {
            if (s.problem() == StoreHeader.Problem.UNSUPPORTED_VERSION) {
                throw new CorruptStoreException(path + ": unsupported " + s.detail() + " in header slot " + s.slot());
            }
        }
        if (s0.header() != null && s1.header() != null) {
            StoreHeader a = s0.header();
            StoreHeader b = s1.header();
            if (!a.layout().equals(b.layout())) {
                throw new CorruptStoreException(path + ": header slots disagree on layout: " + a.layout()
                        + " vs " + b.layout());
            }
            if (!a.owner().equals(b.owner())) {
                throw new CorruptStoreException(path + ": header slots disagree on the owning index: " + a.owner()
                        + " vs " + b.owner());
            }
            return a.generation() >= b.generation() ? a : b;
        }
        if (s0.header() != null) {
            return s0.header();
        }
        if (s1.header() != null) {
            return s1.header();
        }
        if (s0.problem() == StoreHeader.Problem.BAD_MAGIC && s1.problem() == StoreHeader.Problem.BAD_MAGIC) {
            throw new CorruptStoreException(path + ": not a panavec store (" + s0.detail() + ", expected \"PANAVECS\")");
        }
        throw new CorruptStoreException(path + ": both header slots are invalid: slot 0: " + s0.detail()
                + "; slot 1: " + s1.detail());
    }

    /** Writes {@code h} into its slot (generation % 2) and forces it to disk. */
    static void write(FileChannel ch, StoreHeader h) throws IOException {
        ByteBuffer b = h.encode();
        long pos = StoreHeader.slotOffset(StoreHeader.slotFor(h.generation()));
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
        ch.force(false);
    }

    private static ByteBuffer readFully(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                break;
            }
        }
        return b.flip();
    }
}
