package io.panavec.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * extracted to a temporary file and loaded. The system property {@code panavec.library.path} or
 * the environment variable {@code PANAVEC_LIBRARY_PATH} (a path to a {@code libpanavec.so}) loads
 * another build instead. Thread-safe: the library is loaded by the class initializer.
 */
public final class NativeLibrary {
    private static final Logger LOG = Logger.getLogger(NativeLibrary.class.getName());
    public static final String PATH_PROPERTY = "panavec.library.path";
    public static final String PATH_ENV = "PANAVEC_LIBRARY_PATH";

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Path LOADED_FROM;
    private static final SymbolLookup LOOKUP;

    static {
        LOADED_FROM = locate();
        LOOKUP = SymbolLookup.libraryLookup(LOADED_FROM, Arena.global());
        LOG.fine(() -> "panavec: loaded " + LOADED_FROM);
    }

    private NativeLibrary() {}

    /** Where the library was loaded from. */
    public static Path path() {
        return LOADED_FROM;
    }

    /** Resolves a symbol, or throws {@link UnsatisfiedLinkError} naming it. */
    public static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() ->
                new UnsatisfiedLinkError("panavec: symbol " + name + " not found in " + LOADED_FROM));
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

    private static Path locate() {
        String override = System.getProperty(PATH_PROPERTY);
        if (override == null || override.isBlank()) {
            override = System.getenv(PATH_ENV);
        }
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isRegularFile(p)) {
                throw new UnsatisfiedLinkError("panavec: " + PATH_PROPERTY + "/" + PATH_ENV + " points to " + p + ", which is not a file");
            }
            return p.toAbsolutePath();
        }
        String resource = "/io/panavec/native/" + platform() + "/libpanavec.so";
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UnsatisfiedLinkError("panavec: no native library for " + platform()
                        + " in this jar (" + resource + "); build one (native/build.sh) and set -D" + PATH_PROPERTY);
            }
            Path dir = Files.createTempDirectory("panavec-native");
            Path lib = dir.resolve("libpanavec.so");
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            lib.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return lib;
        } catch (IOException e) {
            throw new UncheckedIOException("panavec: cannot extract the native library", e);
        }
    }
}
