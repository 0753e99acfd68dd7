package io.panavec.store;

import java.io.IOException;

/** A store could not be opened for writing because another writer (process or this JVM) holds it. */
public class StoreLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreLockedException(String message) {
        super(message);
    }
}
