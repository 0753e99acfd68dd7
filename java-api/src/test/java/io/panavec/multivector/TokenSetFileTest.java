package io.panavec.multivector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Token-set files: the shipped cut reads back; offsets that do not match their tokens file fail with a message. */
class TokenSetFileTest {
    @TempDir
    Path tmp;

    @Test
    void theShippedCutReadsBack() throws IOException {
        try (TokenSetFile f = TokenSetFile.open(MultiVectorData.dir().resolve("docs.tokens.npy"), MultiVectorData.dir().resolve("docs.offsets.ivecs"))) {
            assertEquals(400, f.size());
            assertEquals(384, f.dimension());
            assertEquals(7253, f.tokens());
            assertArrayEquals(MultiVectorData.sets("docs")[399][2], f.set(399)[2]);
        }
    }

    private Path fvecs(int rows, int dim) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(rows * (4 + 4 * dim)).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            b.putInt(dim);
            for (int j = 0; j < dim; j++) b.putFloat(r + j);
        }
        Path p = tmp.resolve("t" + rows + ".fvecs");
        Files.write(p, b.array());
        return p;
    }

    private Path ivecs(String name, int... values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(1).putInt(v);
        Path p = tmp.resolve(name + ".ivecs");
        Files.write(p, b.array());
        return p;
    }

    private String error(Path tokens, Path offsets) {
        return assertThrows(IOException.class, () -> TokenSetFile.open(tokens, offsets)).getMessage();
    }

    @Test
    void offsetsThatDoNotMatchTheTokensFileAreRejected() throws IOException {
        Path t = fvecs(5, 3);
        try (TokenSetFile ok = TokenSetFile.open(t, ivecs("ok", 0, 2, 5))) {
            assertEquals(2, ok.size());
            assertArrayEquals(new float[] {3, 4, 5}, ok.set(1)[1]);
        }
        assertTrue(error(t, ivecs("short", 0, 2, 4)).contains("the last offset is 4 but"), "last offset");
        assertTrue(error(t, ivecs("long", 0, 2, 6)).contains("holds 5 token vectors"), "past the end");
        assertTrue(error(t, ivecs("empty", 0, 2, 2, 5)).contains("set 1 has 0 tokens"), "an empty set");
        assertTrue(error(t, ivecs("back", 0, 3, 2, 5)).contains("set 1 has -1 tokens"), "going back");
        assertTrue(error(t, ivecs("start", 1, 5)).contains("the first offset must be 0"), "start");
        assertTrue(error(t, ivecs("one", 0)).contains("n + 1 >= 2 rows"), "one row");
    }
}
