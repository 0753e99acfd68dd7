package io.panavec.bindings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads what a test needs from a little-endian ELF64 shared library, without ldd or readelf: its
 * machine, its NEEDED entries, the global functions it defines, and the symbol versions it requires
 * (GLIBC_2.x). Immutable once read.
 */
final class ElfFile {
    static final int EM_X86_64 = 62;
    private static final int SHT_DYNSYM = 11, SHT_DYNAMIC = 6, SHT_GNU_VERNEED = 0x6ffffffe;
    private static final long DT_NEEDED = 1;

    final int machine;
    final List<String> needed = new ArrayList<>();
    final TreeSet<String> definedFunctions = new TreeSet<>();
    final TreeSet<String> requiredVersions = new TreeSet<>();

    private final ByteBuffer b;

    private ElfFile(ByteBuffer b) {
        this.b = b;
        if (b.getInt(0) != 0x464c457f) throw new IllegalArgumentException("not an ELF file");
        if (b.get(4) != 2 || b.get(5) != 1) throw new IllegalArgumentException("not a little-endian ELF64 file");
        machine = Short.toUnsignedInt(b.getShort(18));
        long shoff = b.getLong(40);
        int shentsize = Short.toUnsignedInt(b.getShort(58)), shnum = Short.toUnsignedInt(b.getShort(60));
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            int type = b.getInt(sh + 4);
            long off = b.getLong(sh + 24), size = b.getLong(sh + 32), entsize = b.getLong(sh + 56);
            int link = b.getInt(sh + 40), info = b.getInt(sh + 44);
            long strOff = b.getLong((int) (shoff + (long) link * shentsize) + 24);
            if (type == SHT_DYNAMIC) {
                for (long e = off; e + 16 <= off + size; e += entsize) {
                    long tag = b.getLong((int) e);
                    if (tag == 0) break;
                    if (tag == DT_NEEDED) needed.add(string(strOff + b.getLong((int) e + 8)));
                }
            } else if (type == SHT_DYNSYM) {
                for (long s = off + entsize; s < off + size; s += entsize) { // entry 0 is the null symbol
                    int nameOff = b.getInt((int) s), infoByte = b.get((int) s + 4) & 0xff;
                    int shndx = Short.toUnsignedInt(b.getShort((int) s + 6));
                    boolean global = (infoByte >> 4) == 1 || (infoByte >> 4) == 2, function = (infoByte & 0xf) == 2;
                    if (global && function && shndx != 0) definedFunctions.add(string(strOff + nameOff));
                }
            } else if (type == SHT_GNU_VERNEED) {
                long v = off;
                for (int n = 0; n < info; n++) {
                    int cnt = Short.toUnsignedInt(b.getShort((int) v + 2));
                    long aux = v + b.getInt((int) v + 8);
                    for (int a = 0; a < cnt; a++) {
                        requiredVersions.add(string(strOff + b.getInt((int) aux + 8)));
                        aux += b.getInt((int) aux + 12);
                    }
                    v += b.getInt((int) v + 12);
                }
            }
        }
    }

    static ElfFile read(Path p) throws IOException {
        return new ElfFile(ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN));
    }

    static ElfFile read(byte[] bytes) {
        return new ElfFile(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    private String string(long off) {
        int start = (int) off, end = start;
        while (b.get(end) != 0) end++;
        byte[] s = new byte[end - start];
        b.get(start, s);
        return new String(s, StandardCharsets.UTF_8);
    }

    /** The highest GLIBC_x.y version required, as {x, y}, or {0, 0} if none. */
    int[] maxGlibcVersion() {
        int[] best = {0, 0};
        for (String v : requiredVersions) {
            if (!v.startsWith("GLIBC_") || !Character.isDigit(v.charAt(6))) continue;
            String[] parts = v.substring(6).split("\\.");
            int major = Integer.parseInt(parts[0]), minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            if (major > best[0] || (major == best[0] && minor > best[1])) best = new int[] {major, minor};
        }
        return best;
    }
}
