package io.panavec.bench.ann;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Issue 13's LeanVec bar, from curves measured side by side: at a recall target, the fastest LVQ-only panavec
 * engine (engine name {@code panavec-hnsw-lvq...}: the smallest measured effort reaching the target, its QPS)
 * against the fastest LeanVec engine ({@code panavec-hnsw-leanvec...}) holding at most that LVQ engine's bytes
 * per vector; met only when both reached the target and LeanVec's QPS is at least {@link #BAR} times LVQ's.
 * Stateless.
 */
final class QuantComparison {
    static final double BAR = 1.3;

    private QuantComparison() {}

    record Pick(String engine, CurvePoint point, double bytes) {}

    static String table(List<AnnReport.Built> built, Map<String, Curve> bySet, double target) {
        Optional<Pick> lvq = fastest(built, bySet, "panavec-hnsw-lvq", target, Double.POSITIVE_INFINITY);
        if (built.stream().noneMatch(b -> b.engine().name().startsWith("panavec-hnsw-leanvec")) || lvq.isEmpty() && bySet.keySet().stream().noneMatch(n -> n.startsWith("panavec-hnsw-lvq"))) {
            return "";
        }
        String t = String.format(Locale.ROOT, "%.2f", target);
        StringBuilder md = new StringBuilder("LeanVec vs LVQ alone at recall@10 ≥ " + t + " (fastest of each, LeanVec at ≤ the LVQ engine's bytes/vector; bar "
                + BAR + "x):\n\n| | engine | effort / recall / QPS | bytes/vector |\n|---|---|---|---:|\n");
        if (lvq.isEmpty()) {
            return md.append("| LVQ alone | no LVQ engine reached ").append(t).append(" | | |\n| met | no (not measured at ").append(t).append(") | | |\n").toString();
        }
        Optional<Pick> lean = fastest(built, bySet, "panavec-hnsw-leanvec", target, lvq.get().bytes());
        row(md, "LVQ alone", lvq.get());
        if (lean.isEmpty()) {
            return md.append("| LeanVec | none within ").append(String.format(Locale.ROOT, "%.0f", lvq.get().bytes())).append(" bytes/vector reached ").append(t)
                    .append(" | | |\n| met | no | | |\n").toString();
        }
        row(md, "LeanVec", lean.get());
        double r = lean.get().point().qps() / lvq.get().point().qps();
        return md.append(String.format(Locale.ROOT, "| ratio | %.2fx | bar %.1fx | met: %s |%n", r, BAR, r >= BAR ? "yes" : "no")).toString();
    }

    private static void row(StringBuilder md, String what, Pick p) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %d / %.4f / %.0f | %.0f |%n", what, p.engine(), p.point().effort(), p.point().recall(),
                p.point().qps(), p.bytes()));
    }

    private static Optional<Pick> fastest(List<AnnReport.Built> built, Map<String, Curve> bySet, String prefix, double target, double maxBytes) {
        Pick best = null;
        for (AnnReport.Built b : built) {
            String name = b.engine().name();
            if (!name.startsWith(prefix) || b.bytesPerVector() > maxBytes || !bySet.containsKey(name)) continue;
            Optional<CurvePoint> p = bySet.get(name).firstReaching(target);
            if (p.isPresent() && (best == null || p.get().qps() > best.point().qps())) best = new Pick(name, p.get(), b.bytesPerVector());
        }
        return Optional.ofNullable(best);
    }
}
