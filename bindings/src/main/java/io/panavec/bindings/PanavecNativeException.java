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
        if (status != 0) {
            throw new PanavecNativeException(status, err.getString(0));
        }
    }

    public int status() {
        return status;
    }

    public static String statusName(int status) {
        return switch (status) {
            case 0 -> "PV_OK";
            case 1 -> "PV_EINVAL";
            case 2 -> "PV_EUNSUPPORTED";
            case 3 -> "PV_ENATIVE";
            case 4 -> "PV_ENOMEM";
            case 5 -> "PV_EIO";
            case 6 -> "PV_ECORRUPT";
            default -> "unknown";
        };
    }
}
