package io.panavec.bench.ann;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One engine's measured recall/QPS curve on one query set, in increasing effort. Points are measured,
 * never interpolated. Not thread-safe (filled by one thread, then read).
 */
public final class Curve {
    private final String engine;
    private final List<CurvePoint> points = new ArrayList<>();

    public Curve(String engine) {
        this.engine = engine;
    }

    public String engine() {
        return engine;
    }

    public void add(CurvePoint p) {
        points.add(p);
        points.sort(Comparator.comparingInt(CurvePoint::effort));
    }

    public List<CurvePoint> points() {
        return List.copyOf(points);
    }

    /** The measured point at the smallest effort whose recall is at least {@code target}, if any. */
    public Optional<CurvePoint> firstReaching(double target) {
        return points.stream().filter(p -> p.recall() >= target).findFirst();
    }

    /** The point with the highest recall (the smallest effort among equals). */
    public Optional<CurvePoint> best() {
        CurvePoint best = null;
        for (CurvePoint p : points) {
            if (best == null || p.recall() > best.recall()) best = p;
        }
        return Optional.ofNullable(best);
    }

    public Optional<CurvePoint> at(int effort) {
        return points.stream().filter(p -> p.effort() == effort).findFirst();
    }
}
