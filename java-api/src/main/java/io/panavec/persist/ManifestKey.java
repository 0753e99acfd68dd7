package io.panavec.persist;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A typed entry of the {@link Manifest}: its name in the file and how its value reads and writes. Every
 * key the library knows is a constant here, so commit, open and the CLI never spell a key as a string.
 *
 * @param <T> the value's type
 */
public record ManifestKey<T>(String name, Function<String, T> parse, Function<T, String> format) {
    public ManifestKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parse, "parse");
        Objects.requireNonNull(format, "format");
    }

    public static final ManifestKey<Integer> FORMAT_VERSION = integer("format.version");
    public static final ManifestKey<String> INDEX_SPEC = text("index.spec");
    public static final ManifestKey<String> METRIC = text("metric");
    public static final ManifestKey<Integer> DIMENSION = integer("dimension");
    public static final ManifestKey<String> STORE_FILE = text("store.file");
    public static final ManifestKey<Long> GENERATION = number("generation");
    /** Store rows the index structure covered at the last commit. */
    public static final ManifestKey<Long> ROWS = number("rows");
    public static final ManifestKey<String> ATTRIBUTES_SCHEMA = text("attributes.schema");
    public static final ManifestKey<String> ATTRIBUTES_LOG = text("attributes.log");
    /** The log of deletes since the deleted-rows file of the same commit. */
    public static final ManifestKey<String> DELETED_LOG = text("deleted.log");
    public static final ManifestKey<String> CODES_METHOD = text("codes.method");
    public static final ManifestKey<String> IDS_FILE = text("ids.file");
    /** Store rows the id map file covered at the last commit. */
    public static final ManifestKey<Long> IDS_ROWS = number("ids.rows");

    public static final FileKeys GRAPH = new FileKeys("graph");
    public static final FileKeys FAISS = new FileKeys("faiss");
    public static final FileKeys CODES = new FileKeys("codes");
    public static final FileKeys DELETED = new FileKeys("deleted");
    public static final FileKeys ATTRIBUTES = new FileKeys("attributes");

    /** The checksummed component files a commit may replace (their previous versions are removed). */
    public static final List<FileKeys> COMPONENT_FILES = List.of(GRAPH, FAISS, CODES, DELETED, ATTRIBUTES);

    /**
     * The three entries of one checksummed component file: {@code <prefix>.file}, {@code <prefix>.bytes},
     * {@code <prefix>.crc32c} (as {@link CheckedFile.Stamp} holds them).
     */
    public record FileKeys(String prefix) {
        public ManifestKey<String> file() {
            return text(prefix + ".file");
        }

        public ManifestKey<Long> bytes() {
            return number(prefix + ".bytes");
        }

        public ManifestKey<Integer> crc32c() {
            return new ManifestKey<>(prefix + ".crc32c", Integer::parseUnsignedInt, Integer::toUnsignedString);
        }
    }

    public static ManifestKey<String> text(String name) {
        return new ManifestKey<>(name, s -> s, s -> s);
    }

    public static ManifestKey<Long> number(String name) {
        return new ManifestKey<>(name, Long::parseLong, l -> Long.toString(l));
    }

    public static ManifestKey<Integer> integer(String name) {
        return new ManifestKey<>(name, Integer::parseInt, i -> Integer.toString(i));
    }
}
