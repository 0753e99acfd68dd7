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
    /** The store's element type (F32, F16, I8), also in the store's header. */
    public static final ManifestKey<String> ELEMENT_TYPE = text("element.type");
    /**
     * The index's identity, drawn at create and recorded in the store's header too (with the metric): a store
     * file of another index, or a manifest of another index over this store, is refused on open.
     */
    public static final ManifestKey<java.util.UUID> INDEX_ID = new ManifestKey<>("index.id", java.util.UUID::fromString,
            java.util.UUID::toString);
    /** CRC-32C of the manifest's other entries ({@link Manifest#checksum}); required once the manifest has an {@link #INDEX_ID}. */
    public static final ManifestKey<Integer> CHECKSUM = new ManifestKey<>("manifest.crc32c", Integer::parseUnsignedInt,
            Integer::toUnsignedString);
    public static final ManifestKey<String> STORE_FILE = fileName("store.file", "vectors\\.pvs");
    public static final ManifestKey<Long> GENERATION = number("generation");
    /** Store rows the index structure covered at the last commit. */
    public static final ManifestKey<Long> ROWS = number("rows");
    public static final ManifestKey<String> ATTRIBUTES_SCHEMA = text("attributes.schema");
    public static final ManifestKey<String> ATTRIBUTES_LOG = fileName("attributes.log", "attributes-[0-9]{6,}\\.log");
    /** The log of deletes since the deleted-rows file of the same commit. */
    public static final ManifestKey<String> DELETED_LOG = fileName("deleted.log", "deleted-[0-9]{6,}\\.log");
    public static final ManifestKey<String> CODES_METHOD = text("codes.method");
    public static final ManifestKey<String> IDS_FILE = fileName("ids.file", "ids-[0-9]+\\.cmap");
    /** Store rows the id map file covered at the last commit. */
    public static final ManifestKey<Long> IDS_ROWS = number("ids.rows");

    public static final FileKeys GRAPH = new FileKeys("graph", "hnsw");
    /** A FAISS index holding its own vectors or codes, as faiss::write_index writes it. */
    public static final FileKeys FAISS = new FileKeys("faiss", "index");
    /** A FAISS index over the store's rows (flat, HNSW): its links without the vectors (pv_faiss_store_write). */
    public static final FileKeys FAISS_LINKS = new FileKeys("faiss-links", "pvfl");
    public static final FileKeys CODES = new FileKeys("codes", "pvq");
    public static final FileKeys DELETED = new FileKeys("deleted", "bits");
    public static final FileKeys ATTRIBUTES = new FileKeys("attributes", "tbl");

    /** The checksummed component files a commit may replace (their previous versions are removed). */
    public static final List<FileKeys> COMPONENT_FILES = List.of(GRAPH, FAISS, FAISS_LINKS, CODES, DELETED, ATTRIBUTES);

    /** Every key naming a file of the index directory (the attribute log aside), by key name. */
    public static List<ManifestKey<String>> fileKeys() {
        return java.util.stream.Stream.concat(COMPONENT_FILES.stream().map(FileKeys::file), java.util.stream.Stream.of(IDS_FILE, STORE_FILE))
                .sorted(java.util.Comparator.comparing(ManifestKey::name)).toList();
    }

    /**
     * The three entries of one checksummed component file: {@code <prefix>.file}, {@code <prefix>.bytes},
     * {@code <prefix>.checksum} (as {@link CheckedFile.Stamp} holds them; manifests before it: {@code <prefix>.crc32c}). The file is named
     * {@code <prefix>-<generation>.<extension>} ({@link Commit#name}); the manifest may name no other.
     */
    public record FileKeys(String prefix, String extension) {
        public ManifestKey<String> file() {
            return fileName(prefix + ".file", java.util.regex.Pattern.quote(prefix) + "-[0-9]{6,}\\." + java.util.regex.Pattern.quote(extension));
        }

        public ManifestKey<Long> bytes() {
            return number(prefix + ".bytes");
        }

        /** The plain CRC-32C of the file, as manifests before {@link #checksum} recorded it (read, never written). */
        public ManifestKey<Integer> crc32c() {
            return new ManifestKey<>(prefix + ".crc32c", Integer::parseUnsignedInt, Integer::toUnsignedString);
        }

        /** {@link CheckedFile#checksum} of the file. */
        public ManifestKey<Integer> checksum() {
            return new ManifestKey<>(prefix + ".checksum", Integer::parseUnsignedInt, Integer::toUnsignedString);
        }
    }

    /**
     * A component's file name: a plain name (no directory part: the manifest cannot point outside its
     * directory) matching {@code pattern} (nor at another component's file). Anything else fails to parse,
     * so {@link Manifest#require} refuses it naming the key.
     */
    public static ManifestKey<String> fileName(String name, String pattern) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(pattern);
        Function<String, String> check = s -> {
            if (!p.matcher(CheckedFile.requirePlainName(s)).matches()) {
                throw new IllegalArgumentException("'" + s + "' is not a " + name + " name (expected " + pattern + ")");
            }
            return s;
        };
        return new ManifestKey<>(name, check, check);
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
