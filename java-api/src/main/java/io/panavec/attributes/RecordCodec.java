package io.panavec.attributes;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a row's attribute values against a {@link Schema} and converts them to a normalized record
 * (Object[] in schema order: Long, Double, Boolean, String, String[] or null for missing), and encodes
 * records to bytes for the durable attribute files. Immutable and thread-safe.
 */
final class RecordCodec {
    static final int MAX_KEYWORD_CHARS = 16_384;

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
            out.writeByte(1);
            switch (schema.type(schema.names().get(i))) {
                case INT, LONG -> out.writeLong((Long) v);
                case FLOAT, DOUBLE -> out.writeDouble((Double) v);
                case BOOLEAN -> out.writeBoolean((Boolean) v);
                case KEYWORD -> out.writeUTF((String) v);
                case KEYWORDS -> {
                    String[] a = (String[]) v;
                    out.writeInt(a.length);
                    for (String s : a) out.writeUTF(s);
                }
            }
        }
    }

    Object[] decode(DataInput in) throws IOException {
        Object[] rec = new Object[schema.size()];
        for (int i = 0; i < rec.length; i++) {
            int tag = in.readByte();
            if (tag == 0) {
                continue;
            }
            if (tag != 1) {
                throw new IOException("corrupt attribute record: tag " + tag);
            }
            rec[i] = switch (schema.type(schema.names().get(i))) {
                case INT, LONG -> in.readLong();
                case FLOAT, DOUBLE -> in.readDouble();
                case BOOLEAN -> in.readBoolean();
                case KEYWORD -> in.readUTF();
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
        return rec;
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
