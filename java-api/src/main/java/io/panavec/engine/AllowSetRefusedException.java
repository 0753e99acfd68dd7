package io.panavec.engine;

/** An engine cannot restrict its search to an allow-set (some FAISS index types); the planner post-filters instead. */
public final class AllowSetRefusedException extends RuntimeException {
    public AllowSetRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
