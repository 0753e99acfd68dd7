package io.panavec.store;

import java.io.IOException;

/**
 * A file is not a readable panavec store: wrong magic, unsupported format version, both header
 * slots invalid, truncated, or data that does not match its checksum. The message says which.
 */
public class CorruptStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptStoreException(String message) {
        super(message);
    }
}
