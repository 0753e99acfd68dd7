package io.panavec.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * One header slot: what a commit publishes. Slot layout (little-endian, {@link #SLOT_BYTES} bytes), format 2:
 * <pre>
 *  0 u64 magic "PANAVECS"     8 i32 format version   12 i32 dimension   16 i32 element type code
 * 20 i32 owner's metric code 24 i64 rows per chunk  32 i64 committed rows
 * 40 i64 commit generation   48 i32 CRC-32C of committed vectors (row order, chunk padding excluded)
 * 52 i32 CRC-32C of committed ids   56 i64 owner index id (high)   64 i64 owner index id (low)
 * 72 i32 CRC-32C of bytes 0..71     76 i32 reserved (0)
 * </pre>
 * Format 1 (stores written before the owner was recorded) ends at 56 with the CRC-32C of bytes 0..55 and
 * has no owner ({@link StoreOwner#NONE}); such a store keeps writing format 1, so older builds still read it.
 * Generation g lives in slot g % 2, so writing g+1 never overwrites the slot holding g.
 * Immutable, thread-safe.
 */
record StoreHeader(int version, StoreLayout layout, StoreOwner owner, long committedRows, long generation, int vectorsCrc,
                   int idsCrc) {
    static final long MAGIC = ByteBuffer.wrap("PANAVECS".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .order(ByteOrder.LITTLE_ENDIAN).getLong();
    static final int FORMAT_VERSION = 2;
    /** The oldest format this build reads and keeps writing in stores that have it. */
    static final int FORMAT_VERSION_1 = 1;
    static final int SLOT_BYTES = 80;
    private static final int CRC_OFFSET_V1 = 56;
    private static final int CRC_OFFSET = 72;

    StoreHeader {
        if (version == FORMAT_VERSION_1 && !owner.isNone()) {
            throw new IllegalArgumentException("a format 1 store header has no owner");
        }
    }

    /** The next commit's header: same format, layout and owner. */
    StoreHeader next(long rows, int newVectorsCrc, int newIdsCrc) {
        return new StoreHeader(version, layout, owner, rows, generation + 1, newVectorsCrc, newIdsCrc);
    }

    /** Why a slot could not be used. */
    enum Problem { BAD_MAGIC, UNSUPPORTED_VERSION, BAD_CHECKSUM, BAD_FIELDS }

    /** A decoded slot: either a header or a problem with a human-readable detail. */
    record SlotRead(int slot, StoreHeader header, Problem problem, String detail) {
    }

    static int slotFor(long generation) {
        return (int) (generation & 1);
    }

    static long slotOffset(int slot) {
        return (long) slot * StoreLayout.SLOT_STRIDE;
    }

    ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(SLOT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, MAGIC);
        b.putInt(8, version);
        b.putInt(12, layout.dimension());
        b.putInt(16, layout.type().code());
        b.putInt(20, owner.metricCode());
        b.putLong(24, layout.rowsPerChunk());
        b.putLong(32, committedRows);
        b.putLong(40, generation);
        b.putInt(48, vectorsCrc);
        b.putInt(52, idsCrc);
        if (version == FORMAT_VERSION_1) {
            b.putInt(CRC_OFFSET_V1, crcOf(b, CRC_OFFSET_V1));
            return b.limit(64); // format 1 slots were 64 bytes: leave the rest of the slot as it was
        }
        b.putLong(56, owner.indexId().getMostSignificantBits());
        b.putLong(64, owner.indexId().getLeastSignificantBits());
        b.putInt(CRC_OFFSET, crcOf(b, CRC_OFFSET));
        b.putInt(76, 0);
        return b;
    }

    /** Decodes one slot's bytes (must be {@link #SLOT_BYTES} long, position 0). */
    static SlotRead decode(int slot, ByteBuffer raw) {
        ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long magic = b.getLong(0);
        if (magic != MAGIC) {
            return new SlotRead(slot, null, Problem.BAD_MAGIC, String.format("magic is 0x%016x", magic));
        }
        int version = b.getInt(8);
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_1) {
            return new SlotRead(slot, null, Problem.UNSUPPORTED_VERSION, "format version " + version
                    + " (this build supports format versions " + FORMAT_VERSION_1 + " and " + FORMAT_VERSION + ")");
        }
        int crcOffset = version == FORMAT_VERSION_1 ? CRC_OFFSET_V1 : CRC_OFFSET;
        int stored = b.getInt(crcOffset);
        int actual = crcOf(b, crcOffset);
        if (stored != actual) {
            return new SlotRead(slot, null, Problem.BAD_CHECKSUM,
                    String.format("header checksum mismatch (stored 0x%08x, computed 0x%08x)", stored, actual));
        }
        ElementType type = ElementType.fromCode(b.getInt(16));
        long committed = b.getLong(32);
        long generation = b.getLong(40);
        if (type == null || committed < 0 || generation < 0) {
            return new SlotRead(slot, null, Problem.BAD_FIELDS, "invalid fields: element type code "
                    + b.getInt(16) + ", committed rows " + committed + ", generation " + generation);
        }
        StoreLayout layout;
        try {
            layout = new StoreLayout(b.getInt(12), type, b.getLong(24));
        } catch (IllegalArgumentException e) {
            return new SlotRead(slot, null, Problem.BAD_FIELDS, "invalid fields: " + e.getMessage());
        }
        StoreOwner owner = version == FORMAT_VERSION_1 ? StoreOwner.NONE
                : new StoreOwner(new java.util.UUID(b.getLong(56), b.getLong(64)), b.getInt(20));
        if (version == FORMAT_VERSION_1 && b.getInt(20) != 0) {
            return new SlotRead(slot, null, Problem.BAD_FIELDS, "invalid fields: reserved word " + b.getInt(20));
        }
        return new SlotRead(slot, new StoreHeader(version, layout, owner, committed, generation, b.getInt(48), b.getInt(52)),
                null, null);
    }

    private static int crcOf(ByteBuffer b, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(0).limit(length));
        return (int) crc.getValue();
    }
}
