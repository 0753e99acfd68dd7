package io.panavec.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a NumPy {@code .npy} file (format versions 1, 2 and 3), parsed as NumPy reads it: the
 * header is a Python dict literal with exactly the keys {@code descr}, {@code fortran_order} and
 * {@code shape}. It is tokenized (strings with escapes, comments, tuples), so text inside a string or a
 * comment never counts as a key; duplicate or extra keys, negative dimensions and a data size that
 * overflows a long are refused, and the file must hold exactly the array's bytes.
 *
 * <p>Immutable and thread-safe.
 */
public final class NpyHeader {
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy itself refuses headers longer than this unless told otherwise. */
    private static final long MAX_HEADER = 10_000;

    private final String descr;
    private final boolean fortranOrder;
    private final long[] shape;
    private final long dataOffset;

    private NpyHeader(String descr, boolean fortranOrder, long[] shape, long dataOffset) {
        this.descr = descr;
        this.fortranOrder = fortranOrder;
        this.shape = shape;
        this.dataOffset = dataOffset;
    }

    /** The dtype string, for example {@code <f4}, {@code <f2}, {@code <i8}. */
    public String descr() {
        return descr;
    }

    public boolean fortranOrder() {
        return fortranOrder;
    }

    /** The dimensions, each at least 0. */
    public long[] shape() {
        return shape.clone();
    }

    /** Byte offset of the first array element. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Bytes per element of {@link #descr()} ({@code <f4} → 4); an unknown or non-numeric dtype is refused. */
    public int elementBytes(Path path) throws IOException {
        if (descr.length() < 3 || "<|=".indexOf(descr.charAt(0)) < 0 || "fiu".indexOf(descr.charAt(1)) < 0) {
            throw new IOException(path + ": .npy dtype '" + descr + "' is not a little-endian number");
        }
        try {
            int n = Integer.parseInt(descr.substring(2));
            if (n != 1 && n != 2 && n != 4 && n != 8) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException(path + ": .npy dtype '" + descr + "' has no valid element size");
        }
    }

    /**
     * The header of a version 1.0 {@code .npy} file of a C-order little-endian float32 matrix of {@code rows} x
     * {@code columns}, padded (as NumPy pads) so that the data starts at a multiple of 64 bytes.
     */
    public static byte[] float32Header(long rows, long columns) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + columns + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(padded - unpadded) + "\n";
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + t.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) t.length).put(t);
        return b.array();
    }

    /**
     * Parses the header of {@code file} (its whole mapping) and checks that the file holds exactly the array
     * the header describes, with {@code elementBytes} bytes per element.
     */
    public static NpyHeader read(Path path, MemorySegment file) throws IOException {
        long size = file.byteSize();
        if (size < 10 || !hasMagic(file)) {
            throw new IOException(path + ": not a NumPy .npy file (bad magic)");
        }
        int major = file.get(ValueLayout.JAVA_BYTE, 6);
        long headerLen;
        long headerStart;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(file.get(SHORT_LE, 8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (size < 12) {
                throw new IOException(path + ": truncated .npy header");
            }
            headerLen = Integer.toUnsignedLong(file.get(INT_LE, 8));
            headerStart = 12;
        } else {
            throw new IOException(path + ": unsupported .npy format version " + major);
        }
        if (headerLen > MAX_HEADER) {
            throw new IOException(path + ": .npy header of " + headerLen + " bytes is longer than " + MAX_HEADER);
        }
        if (headerStart + headerLen > size) {
            throw new IOException(path + ": truncated .npy header");
        }
        byte[] bytes = file.asSlice(headerStart, headerLen).toArray(ValueLayout.JAVA_BYTE);
        String text = new String(bytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict;
        try {
            Object value = new Literal(text).parseHeader();
            if (!(value instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("the header is not a dict");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) m;
            dict = typed;
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": cannot parse .npy header (" + e.getMessage() + "): " + text.strip());
        }
        if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw new IOException(path + ": .npy header must have exactly the keys descr, fortran_order and shape, has "
                    + dict.keySet());
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new IOException(path + ": .npy header 'descr' is not a string (structured dtypes are not supported)");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new IOException(path + ": .npy header 'fortran_order' is not True or False");
        }
        if (!(dict.get("shape") instanceof List<?> dims)) {
            throw new IOException(path + ": .npy header 'shape' is not a tuple");
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0) {
                throw new IOException(path + ": .npy shape " + dims + " has an invalid dimension " + dims.get(i));
            }
            shape[i] = d;
        }
        NpyHeader h = new NpyHeader(descr, fortran, shape, headerStart + headerLen);
        long dataBytes;
        try {
            dataBytes = h.elementBytes(path);
            for (long d : shape) {
                dataBytes = Math.multiplyExact(dataBytes, d);
            }
            long need = Math.addExact(h.dataOffset, dataBytes);
            if (size != need) {
                throw new IOException(path + ": .npy shape " + dims + " of " + descr + " needs " + need + " bytes, the file has " + size
                        + (size < need ? " (truncated)" : " (trailing bytes)"));
            }
        } catch (ArithmeticException e) {
            throw new IOException(path + ": .npy shape " + dims + " is too large (its byte size overflows)");
        }
        return h;
    }

    private static boolean hasMagic(MemorySegment seg) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A parser for the Python literals a header may hold: dicts, tuples, lists, strings, integers, True,
     * False and None, with comments. Throws IllegalArgumentException on anything else.
     */
    private static final class Literal {
        private final String s;
        private int pos;

        /** Python's None: never a valid header value. */
        static final Object NONE = new Object();

        Literal(String s) {
            this.s = s;
        }

        Object parseHeader() {
            Object v = value();
            skipSpace();
            if (pos != s.length()) {
                throw error("unexpected text after the dict");
            }
            return v;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at position " + pos);
        }

        private void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '#') {
                    while (pos < s.length() && s.charAt(pos) != '\n') pos++;
                } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        private boolean take(char c) {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private Object value() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(pos);
            if (c == '{') {
                pos++;
                return dict();
            }
            if (c == '(' || c == '[') {
                pos++;
                return sequence(c == '(' ? ')' : ']');
            }
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '-' || c == '+' || Character.isDigit(c)) {
                return integer();
            }
            int start = pos;
            while (pos < s.length() && Character.isLetter(s.charAt(pos))) pos++;
            return switch (s.substring(start, pos)) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> NONE;
                default -> throw error("unexpected '" + c + "'");
            };
        }

        private Map<String, Object> dict() {
            Map<String, Object> m = new LinkedHashMap<>();
            while (!take('}')) {
                skipSpace();
                if (!(value() instanceof String key)) {
                    throw error("a dict key that is not a string");
                }
                if (!take(':')) {
                    throw error("expected ':'");
                }
                if (m.put(key, value()) != null) {
                    throw error("duplicate key '" + key + "'");
                }
                if (!take(',')) {
                    if (!take('}')) {
                        throw error("expected ',' or '}'");
                    }
                    break;
                }
            }
            return m;
        }

        private List<Object> sequence(char close) {
            List<Object> items = new ArrayList<>();
            while (!take(close)) {
                items.add(value());
                if (!take(',')) {
                    if (!take(close)) {
                        throw error("expected ',' or '" + close + "'");
                    }
                    break;
                }
            }
            return items;
        }

        private String string() {
            char quote = s.charAt(pos++);
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length() || s.charAt(pos) == '\n') {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == quote) {
                    return b.toString();
                }
                if (c == '\\') {
                    if (pos >= s.length()) {
                        throw error("unterminated string");
                    }
                    char e = s.charAt(pos++);
                    b.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case '\\', '\'', '"' -> e;
                        default -> throw error("unsupported escape \\" + e);
                    });
                } else {
                    b.append(c);
                }
            }
        }

        private Long integer() {
            int start = pos;
            if (s.charAt(pos) == '-' || s.charAt(pos) == '+') pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            if (pos < s.length() && s.charAt(pos) == 'L') pos++; // Python 2 long literals, as NumPy still accepts
            String digits = s.substring(start, pos).replace("L", "");
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw error("integer '" + digits + "' out of range");
            }
        }
    }
}
