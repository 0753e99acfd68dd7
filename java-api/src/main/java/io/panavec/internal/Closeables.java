package io.panavec.internal;

/** Closing the parts of a half-built or closing object without losing the first failure. */
public final class Closeables {
    private Closeables() {}

    /** Closes each part that is not null, in order, adding each failure to {@code cause} as suppressed. */
    public static void closeAll(Exception cause, AutoCloseable... parts) {
        for (AutoCloseable p : parts) {
            if (p == null) continue;
            try {
                p.close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }
}
