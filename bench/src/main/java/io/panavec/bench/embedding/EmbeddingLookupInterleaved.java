package io.panavec.bench.embedding;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The look-ups of {@link EmbeddingLookupBench} (the same states, the same code paths and output buffers), timed
 * here interleaved in one JVM: for each batch size and key distribution, every round times each store once (in a
 * rotating order) over the same number of keys, each measurement on keys of its ring no earlier one used, and
 * the report gives per store the median keys/s and the median over rounds of panavec's ratio to Chronicle Map within
 * a round. On a shared, loaded machine this is the side-by-side figure (every store meets the same load within a
 * round of a few hundred milliseconds); JMH's forks run one configuration after another, minutes apart, and the load
 * changes between them. Not a substitute for the JMH run on a quiet machine.
 *
 * <p>Usage: {@code EmbeddingLookupInterleaved <report.md> <cache dir> <table>=<path> [rounds]} (the cache built by
 * {@code EmbeddingLookupReport -Demb.prepareOnly=true}); {@code -Demb.encodings=f32,int8},
 * {@code -Demb.baselines=chronicle} (add {@code hashmap} for the heap map), {@code -Demb.batches=1,64,4096},
 * {@code -Demb.keys=uniform,zipf}; 10 rounds by default, after 2 untimed ones.
 */
public final class EmbeddingLookupInterleaved {
    private static final long KEYS_PER_MEASUREMENT = 1 << 16;

    private EmbeddingLookupInterleaved() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: EmbeddingLookupInterleaved <report.md> <cache dir> <table>=<path> [rounds]");
            System.exit(2);
        }
        Path report = Path.of(args[0]), cache = Path.of(args[1]).toAbsolutePath();
        String[] tp = args[2].split("=", 2);
        String table = tp[0];
        Path path = Path.of(tp[1]).toAbsolutePath();
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        List<String> stores = new ArrayList<>();
        for (String e : System.getProperty("emb.encodings", "f32,int8").split(",")) stores.add("panavec-" + e);
        for (String b : System.getProperty("emb.baselines", "chronicle").split(",")) if (!b.isBlank()) stores.add(b);
        String[] batches = System.getProperty("emb.batches", "1,64,4096").split(","), dists = System.getProperty("emb.keys", "uniform,zipf").split(",");
        String loadBefore = CompressionBudgetReport.load(), memoryBefore = PageFaults.memory();
        Path faults = cache.resolve(PageFaults.fileName(table + "-interleaved"));
        Files.deleteIfExists(faults);

        StringBuilder rows = new StringBuilder();
        for (String batchText : batches) {
            int batch = Integer.parseInt(batchText.trim());
            for (String dist : dists) {
                EmbeddingLookupBench[] states = new EmbeddingLookupBench[stores.size()];
                for (int s = 0; s < states.length; s++) {
                    EmbeddingLookupBench b = new EmbeddingLookupBench();
                    b.table = table;
                    b.path = path.toString();
                    b.cacheDir = cache.toString();
                    b.store = stores.get(s);
                    b.batch = batch;
                    b.keys = dist;
                    b.setup(); // opens the store and looks up every key once
                    states[s] = b;
                }
                double[][] nsPerKey = new double[states.length][rounds];
                float sink = 0;
                for (int round = -2; round < rounds; round++) { // two untimed rounds: the JIT compiles every path
                    for (int j = 0; j < states.length; j++) {
                        int s = Math.floorMod(j + round, states.length); // rotating order: no store always goes first
                        long calls = Math.max(1, KEYS_PER_MEASUREMENT / batch);
                        long t0 = System.nanoTime();
                        for (long c = 0; c < calls; c++) sink += states[s].lookupBatch(states[s].nextBatch());
                        double ns = (System.nanoTime() - t0) / (double) (calls * batch);
                        if (round >= 0) nsPerKey[s][round] = ns;
                    }
                }
                for (EmbeddingLookupBench b : states) b.tearDownTo(faults);
                if (Float.isNaN(sink)) System.out.println("NaN read");
                int chronicle = stores.indexOf("chronicle");
                for (int s = 0; s < states.length; s++) {
                    double[] ratio = new double[rounds];
                    for (int r = 0; r < rounds; r++) ratio[r] = chronicle < 0 ? Double.NaN : nsPerKey[chronicle][r] / nsPerKey[s][r];
                    rows.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %,.0f | %s | %s |%n", stores.get(s), batch, dist,
                            1e9 / median(nsPerKey[s]), 1e9 / min(nsPerKey[s]),
                            chronicle < 0 ? "-" : String.format(Locale.ROOT, "%.2fx", median(ratio)),
                            chronicle < 0 ? "-" : String.format(Locale.ROOT, "%.2fx", min(nsPerKey[chronicle]) / min(nsPerKey[s]))));
                }
                System.out.println(rows);
            }
        }
        Map<String, long[]> f = PageFaults.read(faults);
        StringBuilder md = new StringBuilder("# Embedding-table batch look-ups, interleaved: panavec vs Chronicle Map<Long, byte[]>\n\n");
        md.append("`EmbeddingLookupInterleaved` (the states and look-up paths of `EmbeddingLookupBench`, timed in one JVM): per batch size and key "
                + "distribution, ").append(rounds).append(" rounds after 2 untimed ones; each round times every store once over ")
                .append(KEYS_PER_MEASUREMENT).append(" keys (rotating order, fresh keys). keys/s: the median and the best round; "
                + "vs Chronicle Map: the median over rounds of the ratio within a round, and the ratio of the best rounds. Table `")
                .append(table).append("` (").append(path.getFileName()).append(").\n\n");
        md.append("Load average (1/5/15 min): ").append(loadBefore).append(" before, ").append(CompressionBudgetReport.load()).append(" after.\n\n");
        md.append("Memory: ").append(memoryBefore).append(" before; ").append(PageFaults.memory()).append(" after.\n\n");
        md.append("| store | batch | keys | keys/s (median) | keys/s (best round) | vs Chronicle Map (median of rounds) | vs Chronicle Map (best rounds) |\n"
                + "|---|---:|---|---:|---:|---:|---:|\n").append(rows);
        md.append("\nPage faults from the end of each store's untimed pass over every key to the end of its configuration (minor/major): ");
        List<String> fl = new ArrayList<>();
        f.forEach((k, v) -> fl.add(k.replace('|', ' ') + " " + v[0] + "/" + v[1]));
        md.append(String.join("; ", fl)).append(".\n\n").append(io.panavec.bench.ExactScanReport.machine(loadBefore));
        Files.writeString(report, md.toString());
        System.out.println(md);
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] x) {
        return Arrays.stream(x).min().orElse(Double.NaN);
    }
}
