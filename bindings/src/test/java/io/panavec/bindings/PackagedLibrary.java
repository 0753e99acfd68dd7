package io.panavec.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/** The bytes of the library the tests' JVM loaded: the override file, or the packaged resource. */
final class PackagedLibrary {
    private PackagedLibrary() {}

    static byte[] loadedBytes() throws IOException {
        if (!NativeLibrary.source().startsWith("the panavec-bindings jar")) return Files.readAllBytes(NativeLibrary.path());
        try (InputStream in = NativeLibrary.class.getResourceAsStream(NativeLibrary.resource())) {
            if (in == null) throw new IOException("no resource " + NativeLibrary.resource());
            return in.readAllBytes();
        }
    }
}
