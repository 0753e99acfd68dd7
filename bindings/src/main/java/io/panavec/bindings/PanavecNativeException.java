package io.panavec.bindings;

/**
 * A native call returned an error status. The message is the one the library wrote (for FAISS,
 * the text of the C++ exception it caught); {@link #status()} is the PV_E* code.
 */
public class PanavecNativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public PanavecNativeException(int status, String message) {
        super(message + " (status " + status + ": " + statusName(status) + ")");
        this.status = status;
    }

    /** Throws when a native call returned an error status, with the message it wrote into {@code err}. */
    public static void check(int status, java.lang.foreign.MemorySegment err) {
        if (status != panavec_h.PV_OK) {
            throw new PanavecNativeException(status, err.getString(0));
        }
    }

    public int status() {
        return status;
    }

    /** The PV_* name of a status code ("PV_EINVAL"), from panavec.def, or "unknown". */
    public static String statusName(int status) {
        return PanavecDef.constantName("status", status);
    }
}
