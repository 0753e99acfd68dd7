package io.panavec.attributes;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a row's attribute values against a {@link Schema} and converts them to a normalized record
 * (Object[] in schema order: Long, Double, Boolean, String, String[] or null for missing), and encodes
 * records to bytes for the durable attribute files. A record holds one field per attribute in schema order;
 * a record encoded before the schema grew ends early, and the attributes past its end are missing.
 * Immutable and thread-safe.
 */
final class RecordCodec {
    static final int MAX_KEYWORD_CHARS = 16_384;
    static final int MAX_TEXT_BYTES = 16 << 20;

    // Field tags: 0 no value, 1 a value of the attribute's type; an ANY value's tag names its kind.
    private static final int ANY_LONG = 2, ANY_DOUBLE = 3, ANY_BOOLEAN = 4, ANY_STRING = 5;

    private final Schema schema;

    RecordCodec(Schema schema) {
        this.schema = schema;
    }

    /** The normalized record of {@code values}; {@code where} names the row in messages. */
    Object[] normalize(Map<String, ?> values, String where) {
        Object[] rec = new Object[schema.size()];
        if (values == null) {
            return rec;
        }
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String name = e.getKey();
            if (!schema.has(name)) {
                throw new IllegalArgumentException(where + ": unknown attribute '" + name + "'"
                        + (schema.isEmpty() ? ": the index has no attribute schema" : " (the schema has " + String.join(", ", schema.names()) + ")"));
            }
            int i = schema.names().indexOf(name);
            Object v = e.getValue() == null ? null : value(schema.type(name), e.getValue(), where + ", attribute '" + name + "'");
            rec[i] = v instanceof String[] a && a.length == 0 ? null : v; // an empty keyword list is no value
        }
        return rec;
    }

    private static Object value(AttributeType t, Object v, String where) {
        switch (t) {
            case INT, LONG -> {
                if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                    long l = ((Number) v).longValue();
                    if (t == AttributeType.INT && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
                        throw new IllegalArgumentException(where + ": " + l + " does not fit an int");
                    }
                    return l;
                }
            }
            case FLOAT, DOUBLE -> {
                if (v instanceof Number n && !(v instanceof java.math.BigDecimal) && !(v instanceof java.math.BigInteger)) {
                    double d = t == AttributeType.FLOAT ? (double) n.floatValue() : n.doubleValue();
                    if (!Double.isFinite(d)) {
                        throw new IllegalArgumentException(where + ": " + v + " is not a finite number");
                    }
                    return d;
                }
            }
            case BOOLEAN -> {
                if (v instanceof Boolean b) {
                    return b;
                }
            }
            case KEYWORD -> {
                if (v instanceof String s) {
                    return checkKeyword(s, where);
                }
            }
            case ANY -> {
                return switch (v) {
                    case Long l -> l;
                    case Integer i -> (long) i;
                    case Short h -> (long) h;
                    case Byte b -> (long) b;
                    case Float f -> value(AttributeType.FLOAT, f, where);
                    case Double d -> value(AttributeType.DOUBLE, d, where);
                    case Boolean b -> b;
                    case String s -> checkKeyword(s, where);
                    default -> wrong(t, v, where);
                };
            }
            case TEXT -> {
                if (v instanceof String s) {
                    if (s.length() > MAX_TEXT_BYTES / 3 && s.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
                        throw new IllegalArgumentException(where + ": text longer than " + MAX_TEXT_BYTES + " bytes (UTF-8)");
                    }
                    return s;
                }
            }
            case KEYWORDS -> {
                List<String> out = new ArrayList<>();
                if (v instanceof Collection<?> c) {
                    for (Object o : c) out.add(o instanceof String s ? checkKeyword(s, where) : wrong(t, o, where));
                    return out.toArray(String[]::new);
                }
                if (v instanceof String[] a) {
                    for (String s : a) out.add(checkKeyword(s, where));
                    return out.toArray(String[]::new);
                }
                if (v instanceof String s) {
                    return new String[] {checkKeyword(s, where)};
                }
            }
        }
        return wrong(t, v, where);
    }

    private static <T> T wrong(AttributeType t, Object v, String where) {
        throw new IllegalArgumentException(where + " is " + t.text() + ", was given " + v + " ("
                + (v == null ? "null" : v.getClass().getSimpleName()) + ")");
    }

    private static String checkKeyword(String s, String where) {
        if (s == null) {
            throw new IllegalArgumentException(where + ": null keyword");
        }
        if (s.length() > MAX_KEYWORD_CHARS) {
            throw new IllegalArgumentException(where + ": keyword longer than " + MAX_KEYWORD_CHARS + " characters");
        }
        return s;
    }

    void encode(Object[] rec, DataOutput out) throws IOException {
        for (int i = 0; i < rec.length; i++) {
            Object v = rec[i];
            if (v == null) {
                out.writeByte(0);
                continue;
            }
            AttributeType type = schema.type(schema.names().get(i));
            if (type == AttributeType.ANY) {
                switch (v) {
                    case Long l -> { out.writeByte(ANY_LONG); out.writeLong(l); }
                    case Double d -> { out.writeByte(ANY_DOUBLE); out.writeDouble(d); }
                    case Boolean b -> { out.writeByte(ANY_BOOLEAN); out.writeBoolean(b); }
                    default -> { out.writeByte(ANY_STRING); out.writeUTF((String) v); }
                }
                continue;
            }
            out.writeByte(1);
            switch (type) {
                case INT, LONG -> out.writeLong((Long) v);
                case FLOAT, DOUBLE -> out.writeDouble((Double) v);
                case BOOLEAN -> out.writeBoolean((Boolean) v);
                case KEYWORD -> out.writeUTF((String) v);
                case TEXT -> {
                    byte[] utf8 = ((String) v).getBytes(StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
                case ANY -> throw new IllegalStateException("unreachable");
                case KEYWORDS -> {
                    String[] a = (String[]) v;
                    out.writeInt(a.length);
                    for (String s : a) out.writeUTF(s);
                }
            }
        }
    }

    /** Decodes one record of {@code fields} fields (a schema prefix: an older, smaller schema); the rest are missing. */
    Object[] decode(DataInput in, int fields) throws IOException {
        Object[] rec = new Object[schema.size()];
        for (int i = 0; i < fields; i++) rec[i] = field(in, schema.type(schema.names().get(i)));
        return rec;
    }

    Object[] decode(DataInput in) throws IOException {
        return decode(in, schema.size());
    }

    /** Decodes one record that is all of {@code in}: it may end before the schema does (encoded before it grew). */
    Object[] decodeWhole(DataInputStream in) throws IOException {
        Object[] rec = new Object[schema.size()];
        for (int i = 0; i < rec.length && in.available() > 0; i++) rec[i] = field(in, schema.type(schema.names().get(i)));
        if (in.available() > 0) {
            throw new IOException("corrupt attribute record: " + in.available() + " bytes past its " + rec.length + " fields");
        }
        return rec;
    }

    private static Object field(DataInput in, AttributeType type) throws IOException {
        int tag = in.readByte();
        if (tag == 0) {
            return null;
        }
        if (type == AttributeType.ANY) {
            return switch (tag) {
                case ANY_LONG -> in.readLong();
                case ANY_DOUBLE -> in.readDouble();
                case ANY_BOOLEAN -> in.readBoolean();
                case ANY_STRING -> in.readUTF();
                default -> throw new IOException("corrupt attribute record: tag " + tag + " of an 'any' value");
            };
        }
        if (tag != 1) {
            throw new IOException("corrupt attribute record: tag " + tag);
        }
        return switch (type) {
            case INT, LONG -> in.readLong();
            case FLOAT, DOUBLE -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case KEYWORD -> in.readUTF();
            case TEXT -> {
                int n = in.readInt();
                if (n < 0 || n > MAX_TEXT_BYTES) {
                    throw new IOException("corrupt attribute record: text of " + n + " bytes");
                }
                byte[] utf8 = new byte[n];
                in.readFully(utf8);
                yield new String(utf8, StandardCharsets.UTF_8);
            }
            case ANY -> throw new IllegalStateException("unreachable");
            case KEYWORDS -> {
                int n = in.readInt();
                if (n < 0 || n > 1 << 20) {
                    throw new IOException("corrupt attribute record: " + n + " keywords");
                }
                String[] a = new String[n];
                for (int j = 0; j < n; j++) a[j] = in.readUTF();
                yield a;
            }
        };
    }

    /** The record as a map of the values present (String[] for multi-valued keywords as a List). */
    Map<String, Object> toMap(Object[] rec) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < rec.length; i++) {
            if (rec[i] != null) {
                m.put(schema.names().get(i), rec[i] instanceof String[] a ? List.of(a) : rec[i]);
            }
        }
        return m;
    }
}
