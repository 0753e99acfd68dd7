package io.panavec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A JVM started with only --enable-native-access (no Chronicle Map flags) opens (read-write and read-only)
 * and searches, unfiltered and filtered, flat, HNSW, quantized and FAISS indexes; the first call that needs the
 * id map fails with a message naming each missing flag, not Chronicle's InaccessibleObjectException, and an add
 * refused that way writes nothing (issue 11 item 2). On the code before the id map opened lazily, open itself failed.
 */
class ChronicleFlagsTest {
    @TempDir
    Path tmp;

    static float[] vector(long i) {
        float[] v = new float[16];
        for (int j = 0; j < 16; j++) v[j] = (float) Math.sin(i * 17 + j * 3);
        return v;
    }

    @Test
    void searchesRunWithoutTheFlagsAndIdLookupsNameTheMissingOnes() throws Exception {
        List<String> dirs = new ArrayList<>();
        for (String spec : List.of("flat", "hnsw:M=8,efc=40", "hnsw:M=8,efc=40,quant=lvq8", "faiss:Flat")) {
            Path dir = tmp.resolve(spec.toLowerCase().replaceAll("[^a-z0-9]", ""));
            try (PanavecIndex index = PanavecIndex.builder(dir).dimension(16).metric(Metric.L2).spec(spec).threads(1)
                    .schema(io.panavec.attributes.Schema.builder().add("bucket", io.panavec.attributes.AttributeType.INT).build()).create()) {
                long[] ids = new long[500];
                float[][] vs = new float[500][];
                List<java.util.Map<String, Object>> attrs = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    ids[i] = i;
                    vs[i] = vector(i);
                    attrs.add(java.util.Map.of("bucket", i % 3));
                }
                index.add(ids, vs, attrs);
                index.commit();
            }
            dirs.add(dir.toString());
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), WithoutChronicleFlags.class.getName()));
        cmd.addAll(dirs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) out.add(line);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String all = String.join("\n", out);
        assertEquals(0, p.exitValue(), all);
        assertFalse(all.contains("InaccessibleObjectException"), all);
        for (String d : dirs) {
            String strategy = d.endsWith("faissflat") ? "faiss:Flat" : d.endsWith("flat") ? "exact-scan" : d.endsWith("lvq8") ? "hnsw-codes" : "hnsw";
            assertEquals(2, out.stream().filter(l -> l.startsWith("searched " + d + " 5 " + strategy) && l.endsWith(" top 3")).count(), all);
            assertEquals(2, out.stream().filter(l -> l.equals("filtered " + d + " 5 true")).count(), all);
        }
        List<String> refusals = out.stream().filter(l -> l.startsWith("rowOf: ") || l.startsWith("add: ")).toList();
        assertEquals(2 * dirs.size() + 1, refusals.size(), all);
        for (String line : refusals) {
            for (String flag : List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED")) {
                assertTrue(line.contains(flag), "no " + flag + " in: " + line);
            }
        }
        assertTrue(out.contains("rows after the refused add: 500 of 500"), all);
    }
}
