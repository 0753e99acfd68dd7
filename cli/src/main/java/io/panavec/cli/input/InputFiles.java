package io.panavec.cli.input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Checks on input paths, so that a wrong path says what is wrong with it. */
public final class InputFiles {
    private InputFiles() {}

    /** A readable regular file, else "no such file: PATH" (or what it is instead). */
    public static void requireFile(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (Files.isDirectory(path)) {
            throw new IOException(path + " is a directory, expected a file");
        }
        if (!Files.isReadable(path)) {
            throw new IOException(path + " is not readable");
        }
    }

    /** An existing directory, else "no such directory: PATH". */
    public static void requireDirectory(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            throw new IOException((Files.exists(path) ? "not a directory: " : "no such directory: ") + path);
        }
    }

    public static boolean isHdf5(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".hdf5") || name.endsWith(".h5");
    }

    public static boolean isJsonLines(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".ndjson");
    }

    /** The extension with its dot ({@code .fvecs}), or the whole name when it has none. */
    static String extension(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot);
    }
}
