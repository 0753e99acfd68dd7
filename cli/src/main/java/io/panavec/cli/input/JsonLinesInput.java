package io.panavec.cli.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON lines: one object per line, {@code {"id": 7, "vector": [0.1, ...], "attributes": {"pos": "n", "len": 3}}}.
 * {@code id} is optional (the row number); {@code attributes} optional. Attribute types are inferred over the
 * whole file (string → keyword, array of strings → keywords, integer → int or long, other numbers → double,
 * true/false → boolean; null is no value) unless a schema text is given. Blank lines are skipped.
 *
 * <p>Opening reads the file once to check every line and record where each starts; rows are then parsed
 * again on demand from the memory-mapped file.
 */
final class JsonLinesInput implements VectorInput {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path path;
    private final Arena arena;
    private final MemorySegment data;
    private final long[] starts, ends;
    private final int dimension;
    private final Schema schema;
    private long cachedRow = -1;
    private Parsed cached;

    private record Parsed(long id, float[] vector, Map<String, Object> attributes) {}

    private JsonLinesInput(Path path, Arena arena, MemorySegment data, long[] starts, long[] ends, int dimension, Schema schema) {
        this.path = path;
        this.arena = arena;
        this.data = data;
        this.starts = starts;
        this.ends = ends;
        this.dimension = dimension;
        this.schema = schema;
    }

    static JsonLinesInput open(Path path, String schemaText) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment seg;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                seg = ch.size() == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
            List<long[]> lines = new ArrayList<>();
            long size = seg.byteSize(), start = 0;
            for (long i = 0; i <= size; i++) {
                if (i == size || seg.get(ValueLayout.JAVA_BYTE, i) == '\n') {
                    if (!blank(seg, start, i)) lines.add(new long[] {start, i});
                    start = i + 1;
                }
            }
            if (lines.isEmpty()) {
                throw new IOException(path + " has no JSON lines");
            }
            long[] starts = new long[lines.size()], ends = new long[lines.size()];
            for (int r = 0; r < starts.length; r++) {
                starts[r] = lines.get(r)[0];
                ends[r] = lines.get(r)[1];
            }
            // First pass: every line parses, one dimension, and the attribute types.
            Map<String, AttributeType> inferred = new LinkedHashMap<>();
            int dim = -1;
            for (int r = 0; r < starts.length; r++) {
                Parsed p = parse(path, seg, starts[r], ends[r], r, -1);
                if (dim < 0) dim = p.vector().length;
                if (p.vector().length != dim) {
                    throw new IOException(path + " line " + lineOf(seg, starts[r]) + ": vector has " + p.vector().length
                            + " values, the first has " + dim);
                }
                for (Map.Entry<String, Object> e : p.attributes().entrySet()) {
                    AttributeType t = typeOf(e.getValue());
                    AttributeType was = inferred.get(e.getKey());
                    AttributeType merged = was == null ? t : merge(was, t);
                    if (merged == null) {
                        throw new IOException(path + " line " + lineOf(seg, starts[r]) + ": attribute '" + e.getKey() + "' is a "
                                + t.text() + " here and a " + was.text() + " before; give --schema to choose");
                    }
                    inferred.put(e.getKey(), merged);
                }
            }
            Schema schema;
            if (schemaText != null) {
                schema = Schema.parse(schemaText);
            } else {
                Schema.Builder b = Schema.builder();
                inferred.forEach(b::add);
                schema = b.build();
            }
            return new JsonLinesInput(path, arena, seg, starts, ends, dim, schema);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static boolean blank(MemorySegment seg, long from, long to) {
        for (long i = from; i < to; i++) {
            byte b = seg.get(ValueLayout.JAVA_BYTE, i);
            if (b != ' ' && b != '\t' && b != '\r') return false;
        }
        return true;
    }

    /** 1-based line number of the byte at {@code offset}, for messages. */
    private static long lineOf(MemorySegment seg, long offset) {
        long line = 1;
        for (long i = 0; i < offset; i++) if (seg.get(ValueLayout.JAVA_BYTE, i) == '\n') line++;
        return line;
    }

    private static Parsed parse(Path path, MemorySegment seg, long start, long end, long row, int dimension) throws IOException {
        byte[] bytes = seg.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE);
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            long id = row;
            float[] vector = null;
            Map<String, Object> attributes = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> {
                        if (t != JsonToken.VALUE_NUMBER_INT) throw new IOException("\"id\" must be an integer");
                        id = p.getLongValue();
                    }
                    case "vector" -> vector = vector(p, t, dimension);
                    case "attributes" -> attributes = attributes(p, t);
                    default -> throw new IOException("unknown field \"" + field + "\" (expected id, vector, attributes)");
                }
            }
            if (p.nextToken() != null) {
                throw new IOException("text after the JSON object");
            }
            if (vector == null) {
                throw new IOException("no \"vector\"");
            }
            return new Parsed(id, vector, attributes);
        } catch (JsonProcessingException e) {
            throw new IOException(path + " line " + lineOf(seg, start) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IOException(path + " line " + lineOf(seg, start) + ": " + e.getMessage(), e);
        }
    }

    private static float[] vector(JsonParser p, JsonToken t, int dimension) throws IOException {
        if (t != JsonToken.START_ARRAY) throw new IOException("\"vector\" must be an array of numbers");
        float[] v = new float[dimension > 0 ? dimension : 16];
        int n = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new IOException("\"vector\" must be an array of numbers, has " + t.asString());
            }
            if (n == v.length) {
                if (dimension > 0) throw new IOException("vector has more than " + dimension + " values");
                v = java.util.Arrays.copyOf(v, 2 * n);
            }
            v[n++] = p.getFloatValue();
        }
        if (n == 0) throw new IOException("\"vector\" is empty");
        if (dimension > 0 && n != dimension) throw new IOException("vector has " + n + " values, expected " + dimension);
        return n == v.length ? v : java.util.Arrays.copyOf(v, n);
    }

    private static Map<String, Object> attributes(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) return Map.of();
        if (t != JsonToken.START_OBJECT) throw new IOException("\"attributes\" must be an object");
        Map<String, Object> m = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            Object v = switch (p.nextToken()) {
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT -> p.getLongValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case START_ARRAY -> {
                    List<String> list = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() != JsonToken.VALUE_STRING) {
                            throw new IOException("attribute '" + name + "': arrays must hold strings (keywords)");
                        }
                        list.add(p.getText());
                    }
                    yield list;
                }
                default -> throw new IOException("attribute '" + name + "' must be a string, number, boolean or array of strings");
            };
            if (v != null && m.put(name, v) != null) {
                throw new IOException("attribute '" + name + "' given twice");
            }
        }
        return m;
    }

    private static AttributeType typeOf(Object v) {
        if (v instanceof String) return AttributeType.KEYWORD;
        if (v instanceof List<?>) return AttributeType.KEYWORDS;
        if (v instanceof Boolean) return AttributeType.BOOLEAN;
        if (v instanceof Long l) return l == (int) (long) l ? AttributeType.INT : AttributeType.LONG;
        return AttributeType.DOUBLE;
    }

    /** The narrowest type holding both, or null when they do not mix. */
    private static AttributeType merge(AttributeType a, AttributeType b) {
        if (a == b) return a;
        if (a.isNumeric() && b.isNumeric()) {
            return a == AttributeType.DOUBLE || b == AttributeType.DOUBLE ? AttributeType.DOUBLE : AttributeType.LONG;
        }
        boolean keywords = (a == AttributeType.KEYWORD && b == AttributeType.KEYWORDS) || (a == AttributeType.KEYWORDS && b == AttributeType.KEYWORD);
        return keywords ? AttributeType.KEYWORDS : null;
    }

    private Parsed row(long row) throws IOException {
        if (row < 0 || row >= starts.length) {
            throw new IndexOutOfBoundsException("row " + row + " of " + starts.length);
        }
        if (row != cachedRow) {
            cached = parse(path, data, starts[(int) row], ends[(int) row], row, dimension);
            cachedRow = row;
        }
        return cached;
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public long count() {
        return starts.length;
    }

    @Override
    public void read(long row, float[] dst) throws IOException {
        System.arraycopy(row(row).vector(), 0, dst, 0, dimension);
    }

    @Override
    public long id(long row) throws IOException {
        return row(row).id();
    }

    @Override
    public Schema schema() {
        return schema;
    }

    /** The row's values converted to the schema's types (a number for a double column, one string for keywords). */
    @Override
    public Map<String, Object> attributes(long row) throws IOException {
        Map<String, Object> raw = row(row).attributes();
        Map<String, Object> out = new HashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            if (!schema.has(e.getKey())) {
                throw new IOException(path + " row " + row + ": attribute '" + e.getKey() + "' is not in the schema " + schema.text());
            }
            out.put(e.getKey(), convert(schema.type(e.getKey()), e.getValue(), e.getKey(), row));
        }
        return out;
    }

    private Object convert(AttributeType type, Object v, String name, long row) throws IOException {
        Object c = switch (type) {
            case INT, LONG -> v instanceof Long ? v : null;
            case FLOAT, DOUBLE -> v instanceof Number n ? (Object) n.doubleValue() : null;
            case BOOLEAN -> v instanceof Boolean ? v : null;
            case KEYWORD -> v instanceof String ? v : null;
            case KEYWORDS -> v instanceof String s ? List.of(s) : v instanceof List<?> ? v : null;
        };
        if (c == null) {
            throw new IOException(path + " row " + row + ": attribute '" + name + "' = " + v + " is not a " + type.text());
        }
        return c;
    }

    @Override
    public void close() {
        arena.close();
    }
}
