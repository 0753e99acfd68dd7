package io.panavec;

import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child-JVM main for {@link OpenCloseLeakTest}: builds one index (spec, with or without attributes), then
 * opens, searches (plain and filtered) and closes it {@code cycles} times, printing "rss &lt;cycle&gt; &lt;KiB&gt;"
 * every {@code every} cycles (VmRSS, after a GC so the heap is not what grows).
 */
public final class OpenCloseLoop {
    public static void main(String[] args) throws Exception {
        String spec = args[0];
        boolean attributes = Boolean.parseBoolean(args[1]);
        int cycles = Integer.parseInt(args[2]);
        int every = Integer.parseInt(args[3]);
        Path dir = Files.createTempDirectory("openclose").resolve("index");
        float[][] v = TestData.random(500, 16, 1);
        long[] ids = new long[v.length];
        List<Map<String, Object>> attrs = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
            attrs.add(Map.of("pos", i % 3 == 0 ? "n" : "v", "len", (long) i));
        }
        PanavecIndexBuilder b = PanavecIndex.builder(dir).dimension(16).metric(Metric.L2).spec(spec).threads(1);
        if (attributes) b = b.schema(Schema.builder().add("pos", AttributeType.KEYWORD).add("len", AttributeType.INT).build());
        try (PanavecIndex index = b.create()) {
            index.add(ids, v, attributes ? attrs : null);
            index.commit();
        }
        for (int c = 1; c <= cycles; c++) {
            try (PanavecIndex index = PanavecIndex.open(dir, 1)) {
                index.search(SearchRequest.of(v[c % v.length], 5));
                if (attributes) index.search(SearchRequest.of(v[c % v.length], 5).withFilter("pos = 'n'"));
            }
            if (c % every == 0) {
                System.gc();
                System.out.println("rss " + c + " " + rssKib());
                System.out.flush();
            }
        }
    }

    static long rssKib() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
