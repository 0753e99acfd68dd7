package io.panavec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.panavec.io.VectorFile;
import io.panavec.persist.Manifest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The input readers: .fvecs, .bvecs, .npy vector files and the index manifest. */
class InputFileFuzzTest {
    private static final byte[] FVECS = fvecs();
    private static final byte[] NPY = npy();

    private static byte[] fvecs() {
        ByteBuffer b = ByteBuffer.allocate(3 * (4 + 4 * 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < 3; r++) {
            b.putInt(4);
            for (int j = 0; j < 4; j++) b.putFloat(r + j / 4f);
        }
        return b.array();
    }

    private static byte[] npy() {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
        int pad = 16 - (10 + header.length() + 1) % 16;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 48).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 12; i++) b.putFloat(i);
        return b.array();
    }

    private static void read(String extension, byte[] bytes) throws Exception {
        Path dir = Files.createTempDirectory("fuzz-input");
        Path file = dir.resolve("v." + extension);
        try {
            Files.write(file, bytes);
            Outcomes.expectCleanFailure(() -> {
                try (VectorFile f = VectorFile.open(file)) {
                    f.readAll();
                }
            });
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void fvecs(FuzzedDataProvider data) throws Exception {
        read("fvecs", Mutation.apply(FVECS, data));
    }

    @FuzzTest(maxDuration = "60s")
    void bvecs(FuzzedDataProvider data) throws Exception {
        read("bvecs", data.consumeRemainingAsBytes());
    }

    @FuzzTest(maxDuration = "60s")
    void npy(FuzzedDataProvider data) throws Exception {
        read("npy", Mutation.apply(NPY, data));
    }

    @FuzzTest(maxDuration = "60s")
    void manifest(FuzzedDataProvider data) throws Exception {
        Path dir = Files.createTempDirectory("fuzz-manifest");
        Path file = dir.resolve(Manifest.FILE_NAME);
        try {
            Files.write(file, data.consumeRemainingAsBytes());
            Outcomes.expectCleanFailure(() -> Manifest.read(dir));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
