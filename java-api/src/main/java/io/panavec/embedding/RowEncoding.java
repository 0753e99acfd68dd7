package io.panavec.embedding;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The row encodings panavec provides: bytes per row at dimension d and the error each may make (stated in full on
 * {@link RowCodec#errorBound} of its codec). Immutable.
 */
public enum RowEncoding {
    /** binary32, exact: 4d bytes. */
    F32("f32"),
    /** binary16, rounded to nearest: 2d bytes, relative error 2^-11 per element. */
    F16("f16"),
    /** 8-bit codes between each row's own minimum and maximum (per-row scale and offset): 16 + d' bytes (d' = d rounded up to 32). */
    INT8("int8"),
    /** As INT8 with 4-bit codes: 16 + d'/2 bytes. */
    INT4("int4"),
    /** LVQ-8: the table's mean subtracted, then 8-bit per-row codes: 16 + d' bytes. */
    LVQ8("lvq8"),
    /** LVQ-4: as LVQ-8 with 4-bit codes: 16 + d'/2 bytes. */
    LVQ4("lvq4");

    private final String spec;

    RowEncoding(String spec) {
        this.spec = spec;
    }

    /** The name tables and the CLI use ("f32", "int8", ...). */
    public String spec() {
        return spec;
    }

    /** The encoding named {@code name} (case-insensitive); an IllegalArgumentException listing the known ones otherwise. */
    public static RowEncoding parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (RowEncoding e : values()) {
            if (e.spec.equals(n)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown row encoding '" + name + "': expected one of "
                + Arrays.stream(values()).map(RowEncoding::spec).collect(Collectors.joining(", ")));
    }
}
