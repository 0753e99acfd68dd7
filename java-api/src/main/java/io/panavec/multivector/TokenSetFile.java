package io.panavec.multivector;

import io.panavec.io.VectorFile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file of token sets: the token vectors of every set back to back in one vectors file (texmex {@code .fvecs} or
 * NumPy {@code .npy}, float32 or float16, memory-mapped by {@link VectorFile}) and an offsets file ({@code .ivecs}
 * with one column, n + 1 rows: set i is token rows offsets[i] .. offsets[i+1]-1), as
 * ../shared/tools/multivector/embed-tokens.sh writes them. The offsets are checked against the tokens file on open:
 * they start at 0, never go back, give every set at least one token and end at the tokens file's row count.
 *
 * <p>Thread safety: {@link #set} may be called concurrently; {@link #close()} must not race with it.
 */
public final class TokenSetFile implements AutoCloseable {
    private final VectorFile tokens;
    private final int[] offsets;

    private TokenSetFile(VectorFile tokens, int[] offsets) {
        this.tokens = tokens;
        this.offsets = offsets;
    }

    /**
     * Opens a tokens file and its offsets file.
     *
     * @throws IOException naming the file and the row when the offsets do not match the tokens
     */
    public static TokenSetFile open(Path tokensFile, Path offsetsFile) throws IOException {
        int[][] rows = VectorFile.readIvecs(offsetsFile);
        VectorFile t = VectorFile.open(tokensFile);
        try {
            if (rows.length < 2) {
                throw new IOException(offsetsFile + ": an offsets file needs n + 1 >= 2 rows (set i = token rows offsets[i] .. offsets[i+1]-1), has " + rows.length);
            }
            int[] off = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                if (rows[i].length != 1) {
                    throw new IOException(offsetsFile + ": row " + i + " has " + rows[i].length + " columns; offsets have one");
                }
                off[i] = rows[i][0];
                if (i == 0 && off[0] != 0) {
                    throw new IOException(offsetsFile + ": the first offset must be 0, is " + off[0]);
                }
                if (i > 0 && off[i] <= off[i - 1]) {
                    throw new IOException(offsetsFile + ": set " + (i - 1) + " has " + ((long) off[i] - off[i - 1])
                            + " tokens (offsets " + off[i - 1] + ", " + off[i] + "); every set needs at least one token");
                }
            }
            if (off[off.length - 1] != t.count()) {
                throw new IOException(offsetsFile + ": the last offset is " + off[off.length - 1] + " but " + tokensFile + " holds "
                        + t.count() + " token vectors: the offsets do not match the tokens file");
            }
            return new TokenSetFile(t, off);
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** Number of token sets. */
    public int size() {
        return offsets.length - 1;
    }

    /** Token vector dimension. */
    public int dimension() {
        return tokens.dimension();
    }

    /** Total token vectors. */
    public long tokens() {
        return tokens.count();
    }

    /** The token vectors of set {@code i} (copies, as floats). */
    public float[][] set(int i) {
        java.util.Objects.checkIndex(i, size());
        float[][] out = new float[offsets[i + 1] - offsets[i]][];
        for (int t = 0; t < out.length; t++) out[t] = tokens.read(offsets[i] + t);
        return out;
    }

    @Override
    public void close() {
        tokens.close();
    }
}
