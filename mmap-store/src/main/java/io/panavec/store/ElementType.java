package io.panavec.store;

import io.panavec.bindings.panavec_h;

/**
 * Element encoding of a stored vector. Codes are the {@code PV_ELEM_*} constants of panavec.def, so a
 * store's type can be handed to native kernels as is. Immutable, thread-safe.
 */
public enum ElementType {
    /** IEEE binary32, little-endian. */
    F32(4, panavec_h.PV_ELEM_F32),
    /** IEEE binary16 (half precision), little-endian; float input is rounded to nearest. */
    F16(2, panavec_h.PV_ELEM_F16),
    /** Signed 8-bit integer. */
    I8(1, panavec_h.PV_ELEM_I8);

    private final int bytes;
    private final int code;

    ElementType(int bytes, int code) {
        this.bytes = bytes;
        this.code = code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The on-disk and native ({@code PV_ELEM_*}) code. */
    public int code() {
        return code;
    }

    /** The type with the given code, or null if the code is unknown. */
    static ElementType fromCode(int code) {
        for (ElementType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
