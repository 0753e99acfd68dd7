package io.panavec;

import io.panavec.store.CorruptStoreException;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A file of an index directory is damaged or does not belong to this index: its checksum or structure is
 * wrong, it is shorter or longer than the manifest says, or it was written for another index (another
 * identity, metric, dimension or element type). {@link #file()} names it. The index does not open; nothing
 * in the directory was changed by trying. A {@link CorruptStoreException}, so code catching store
 * corruption catches this too.
 */
public final class CorruptIndexException extends CorruptStoreException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public CorruptIndexException(Path file, String message) {
        super(file + ": " + message);
        this.file = Objects.requireNonNull(file, "file");
    }

    public CorruptIndexException(Path file, Throwable cause) {
        this(file, describe(file, cause));
        initCause(cause);
    }

    /** The damaged or foreign file. */
    public Path file() {
        return file;
    }

    /**
     * The failure of reading one of {@code files} as a corruption of the one its message names (the first
     * when it names none): readers put the path they failed on in their messages.
     */
    static CorruptIndexException ofOneOf(List<Path> files, Throwable cause) {
        String text = String.valueOf(cause.getMessage());
        Path named = files.stream().filter(f -> text.contains(f.getFileName().toString())).findFirst().orElse(files.get(0));
        return new CorruptIndexException(named, cause);
    }

    private static String describe(Path file, Throwable cause) {
        String text = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        String prefix = file + ": ";
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }
}
