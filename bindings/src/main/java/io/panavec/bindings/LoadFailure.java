package io.panavec.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why libpanavec did not load, in words a user can act on: the library, the platform, the exact cause
 * (from the library's ELF header and the dynamic loader's own dlerror message: a missing dependency by
 * name, another architecture or word size, a glibc older than a symbol version it needs, an ABI other
 * than these bindings') and what to do. The packaged library carries a scalar kernel level, so a CPU
 * without AVX2 is never the cause. Used by {@link NativeLibrary}; stateless.
 */
final class LoadFailure {
    private static final int RTLD_NOW = 2;
    private static final Pattern MISSING = Pattern.compile("^([^:\\s]+): cannot open shared object file");
    private static final Pattern VERSION = Pattern.compile("version `([^']+)' not found");
    private static final Pattern UNDEFINED = Pattern.compile("undefined symbol: (\\S+)");

    private final Path lib;
    private final String source;
    private final String platform;

    private LoadFailure(Path lib, String source, String platform) {
        this.lib = lib;
        this.source = source;
        this.platform = platform;
    }

    static LoadFailure of(Path lib, String source, String platform) {
        return new LoadFailure(lib, source, platform);
    }

    private boolean packaged() {
        return !source.startsWith("-D") && !source.startsWith(NativeLibrary.PATH_ENV);
    }

    private String remedy() {
        return packaged()
                ? "This is a defect of the packaged library: please report it with this message; meanwhile build one for this"
                        + " machine (native/build.sh) and set -D" + NativeLibrary.PATH_PROPERTY + "=<path to it>."
                : "Unset " + source.substring(0, source.indexOf('=')) + " to use the library packaged in the panavec-bindings"
                        + " jar (it needs only glibc " + NativeLibrary.GLIBC_FLOOR + " or newer), or rebuild this one for this"
                        + " machine.";
    }

    /** The error to throw after the JDK failed to open the library with {@code cause}. */
    UnsatisfiedLinkError error(Throwable cause) {
        String header = "panavec: cannot load " + lib + " (from " + source + ") on " + platform + ", glibc " + glibcVersion()
                + ": ";
        String elf = elfProblem();
        String why;
        String todo;
        if (elf != null) {
            why = elf;
            todo = packaged() ? remedy() : "Use a libpanavec built for " + platform + " (native/build.sh on such a machine), or"
                    + " unset the override to use the packaged one.";
        } else {
            String dl = dlerror();
            Matcher m = dl == null ? null : MISSING.matcher(dl);
            Matcher v = dl == null ? null : VERSION.matcher(dl);
            Matcher u = dl == null ? null : UNDEFINED.matcher(dl);
            if (m != null && m.find() && !m.group(1).equals(lib.toString())) {
                why = "it needs " + m.group(1) + ", which is not installed or not on the library path (dynamic loader: " + dl + ").";
                todo = (packaged() ? "" : "Install the package that provides " + m.group(1) + ", or: ") + remedy();
            } else if (v != null && v.find()) {
                why = "it needs symbol version " + v.group(1) + ", newer than this system provides (dynamic loader: " + dl + ").";
                todo = v.group(1).startsWith("GLIBC_") && packaged()
                        ? "The packaged library needs glibc " + NativeLibrary.GLIBC_FLOOR + " or newer: upgrade the OS, or build"
                                + " libpanavec on this machine (native/build.sh) and set -D" + NativeLibrary.PATH_PROPERTY + "."
                        : remedy();
            } else if (u != null && u.find()) {
                why = "symbol " + u.group(1) + " is undefined: a dependency of another version than it was built against"
                        + " (dynamic loader: " + dl + ").";
                todo = remedy();
            } else {
                why = dl != null ? "the dynamic loader says: " + dl : "the JDK says: " + cause.getMessage();
                todo = remedy();
            }
        }
        UnsatisfiedLinkError e = new UnsatisfiedLinkError(header + why + " " + todo);
        e.initCause(cause);
        return e;
    }

    /** Fails when a library that loaded does not carry the ABI of these bindings. */
    static void checkAbi(SymbolLookup lookup, Path lib, String source, String platform) {
        List<String> missing = new ArrayList<>();
        for (PanavecDef.Function f : PanavecDef.FUNCTIONS) {
            if (f.kind() != PanavecDef.Kind.ISA_KERNEL && lookup.find(f.symbol()).isEmpty()) missing.add(f.symbol());
        }
        String why = null;
        if (!missing.isEmpty()) {
            why = "it lacks " + missing.size() + " function(s) of these bindings (" + String.join(", ", missing.subList(0,
                    Math.min(5, missing.size()))) + (missing.size() > 5 ? ", ..." : "") + "): it is another version.";
        } else {
            try {
                MethodHandle abi = Linker.nativeLinker().downcallHandle(lookup.find("pv_abi_version").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT));
                int version = (int) abi.invokeExact();
                if (version != panavec_h.PV_ABI_VERSION) {
                    why = "its ABI version is " + version + ", these bindings need " + panavec_h.PV_ABI_VERSION + ".";
                }
            } catch (Throwable t) {
                why = "pv_abi_version failed: " + t;
            }
        }
        if (why != null) {
            LoadFailure f = new LoadFailure(lib, source, platform);
            throw new UnsatisfiedLinkError("panavec: cannot use " + lib + " (from " + source + ") on " + platform + ": " + why
                    + " " + f.remedy());
        }
    }

    /** What the ELF header says is wrong for this JVM, or null. */
    private String elfProblem() {
        byte[] h = new byte[20];
        try (InputStream in = Files.newInputStream(lib)) {
            if (in.readNBytes(h, 0, h.length) < h.length) return "it is " + Files.size(lib) + " bytes, too short for a shared library.";
        } catch (IOException e) {
            return "it cannot be read: " + e.getMessage() + ".";
        }
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x464c457f) return "it is not an ELF shared library (truncated or not a library at all).";
        if (h[4] != 2) return "it is a 32-bit library; this JVM is 64-bit.";
        String arch = switch (Short.toUnsignedInt(b.getShort(18))) {
            case 62 -> "x86_64";
            case 183 -> "aarch64";
            case 243 -> "riscv64";
            case 21 -> "ppc64";
            case 22 -> "s390x";
            default -> "machine type " + Short.toUnsignedInt(b.getShort(18));
        };
        String jvm = platform.substring(platform.indexOf('-') + 1);
        return arch.equals(jvm) ? null : "it is built for " + arch + "; this JVM runs on " + jvm + ".";
    }

    /** The dynamic loader's reason, from dlopen + dlerror of the library (null if it now opens). */
    private String dlerror() {
        try (Arena a = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            MethodHandle dlopen = linker.downcallHandle(libc.find("dlopen").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle dlerror = linker.downcallHandle(libc.find("dlerror").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS));
            MethodHandle dlclose = linker.downcallHandle(libc.find("dlclose").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MemorySegment handle = (MemorySegment) dlopen.invokeExact(a.allocateFrom(lib.toString()), RTLD_NOW);
            if (!handle.equals(MemorySegment.NULL)) {
                int ignored = (int) dlclose.invokeExact(handle);
                return null;
            }
            MemorySegment msg = (MemorySegment) dlerror.invokeExact();
            return msg.equals(MemorySegment.NULL) ? null : msg.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }

    /** glibc's version (gnu_get_libc_version), or "unknown" (another C library). */
    static String glibcVersion() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle v = linker.downcallHandle(linker.defaultLookup().find("gnu_get_libc_version").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            return ((MemorySegment) v.invokeExact()).reinterpret(64).getString(0);
        } catch (Throwable t) {
            return "unknown";
        }
    }
}
