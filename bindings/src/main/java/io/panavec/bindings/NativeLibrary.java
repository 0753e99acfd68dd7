package io.panavec.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Loads libpanavec once per JVM and resolves its symbols.
 *
 * <p>By default the library packaged in this jar under {@code io/panavec/native/<os>-<arch>/} is
 * extracted to a new temporary directory, loaded, and deleted with its directory at once (the mapping
 * stays valid), so no run leaves anything behind, even when it is killed. The system property
 * {@code panavec.library.path} or the environment variable {@code PANAVEC_LIBRARY_PATH} (a path to a
 * {@code libpanavec.so}) loads another build instead. When the library cannot load,
 * {@link UnsatisfiedLinkError} says which library, on which platform, why ({@link LoadFailure}: a
 * missing dependency by name, another architecture, a glibc too old, an ABI mismatch) and what to do.
 * Thread-safe: the library is loaded by the class initializer.
 */
public final class NativeLibrary {
    private static final Logger LOG = Logger.getLogger(NativeLibrary.class.getName());
    public static final String PATH_PROPERTY = "panavec.library.path";
    public static final String PATH_ENV = "PANAVEC_LIBRARY_PATH";
    static final String LIBRARY = "libpanavec.so";
    /** The oldest glibc the packaged library runs on (its newest symbol version is GLIBC_2.34). */
    public static final String GLIBC_FLOOR = "2.34";

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Path LOADED_FROM;
    private static final String SOURCE;
    private static final SymbolLookup LOOKUP;

    static {
        String override = System.getProperty(PATH_PROPERTY);
        if (override == null || override.isBlank()) {
            override = System.getenv(PATH_ENV);
        }
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override).toAbsolutePath();
            SOURCE = (System.getProperty(PATH_PROPERTY, "").isBlank() ? PATH_ENV : "-D" + PATH_PROPERTY) + "=" + override;
            if (!Files.isRegularFile(p)) {
                throw new UnsatisfiedLinkError("panavec: " + SOURCE + " points to " + p + ", which is not a file. "
                        + "Point it to a libpanavec.so (native/build.sh builds one into native/target/dist), or unset it "
                        + "to use the library packaged in the panavec-bindings jar.");
            }
            LOADED_FROM = p;
            LOOKUP = open(p, SOURCE);
        } else {
            SOURCE = "the panavec-bindings jar (" + resource() + ")";
            Path dir = null;
            Path lib = null;
            try {
                dir = Files.createTempDirectory("panavec-native");
                lib = dir.resolve(LIBRARY);
                try (InputStream in = NativeLibrary.class.getResourceAsStream(resource())) {
                    if (in == null) {
                        throw new UnsatisfiedLinkError("panavec: no native library for " + platform() + " in " + SOURCE
                                + ". This jar carries " + LIBRARY + " for linux-x86_64 only; on " + platform()
                                + " build one (native/build.sh) and set -D" + PATH_PROPERTY + "=<path to it>.");
                    }
                    Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
                }
                LOADED_FROM = lib;
                LOOKUP = open(lib, SOURCE);
            } catch (IOException e) {
                throw new UnsatisfiedLinkError("panavec: cannot extract " + LIBRARY + " from " + SOURCE + " into "
                        + (dir != null ? dir : System.getProperty("java.io.tmpdir")) + ": " + e
                        + ". Make java.io.tmpdir a writable directory, or set -D" + PATH_PROPERTY + ".");
            } finally {
                deleteQuietly(lib);
                deleteQuietly(dir);
            }
        }
        LOG.fine(() -> "panavec: loaded " + LOADED_FROM + " from " + SOURCE);
    }

    private NativeLibrary() {}

    private static SymbolLookup open(Path lib, String source) {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(lib, Arena.global());
        } catch (IllegalArgumentException | IllegalCallerException e) {
            throw LoadFailure.of(lib, source, platform()).error(e);
        }
        LoadFailure.checkAbi(lookup, lib, source, platform());
        return lookup;
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.fine(() -> "panavec: could not delete " + p + ": " + e);
        }
    }

    /** Where the library was loaded from (for the packaged library, a temporary file already deleted). */
    public static Path path() {
        return LOADED_FROM;
    }

    /** Where the library came from: the jar resource, or the override that named it. */
    public static String source() {
        return SOURCE;
    }

    /** The jar resource of this platform's library. */
    public static String resource() {
        return "/io/panavec/native/" + platform() + "/" + LIBRARY;
    }

    /** Resolves a symbol, or throws {@link UnsatisfiedLinkError} naming it. */
    public static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() ->
                new UnsatisfiedLinkError("panavec: symbol " + name + " not found in " + LOADED_FROM + " (from " + SOURCE
                        + "): the library is older or newer than these bindings; use the one packaged with them"));
    }

    /** A downcall handle for a symbol. */
    public static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(symbol(name), fd, options);
    }

    /** Whether a symbol is present (for optional features). */
    public static boolean has(String name) {
        return LOOKUP.find(name).isPresent();
    }

    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osName = os.contains("linux") ? "linux" : os.contains("mac") ? "macos" : os.contains("win") ? "windows" : os;
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
        return osName + "-" + archName;
    }
}
