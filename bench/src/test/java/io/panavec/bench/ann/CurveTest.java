package io.panavec.bench.ann;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CurveTest {
    private static Curve curve() {
        Curve c = new Curve("x");
        c.add(new CurvePoint(64, 0.97, 900));
        c.add(new CurvePoint(10, 0.80, 5000));
        c.add(new CurvePoint(32, 0.95, 2000));
        c.add(new CurvePoint(128, 0.96, 500)); // recall may dip: the first reaching point still wins
        return c;
    }

    @Test
    void picksTheSmallestMeasuredEffortReachingTheTarget() {
        Curve c = curve();
        assertEquals(32, c.firstReaching(0.95).orElseThrow().effort());
        assertEquals(2000, c.firstReaching(0.95).orElseThrow().qps());
        assertEquals(32, c.firstReaching(0.90).orElseThrow().effort()); // no interpolation between 10 and 32
        assertEquals(64, c.firstReaching(0.965).orElseThrow().effort());
        assertTrue(c.firstReaching(0.99).isEmpty());
        assertEquals(64, c.best().orElseThrow().effort());
        assertEquals(10, c.points().get(0).effort());
    }

    @Test
    void reportCellsSayWhenATargetIsNotReached() {
        assertEquals("32 / 0.9500 / 2000", AnnReport.cell(curve(), 0.95));
        assertEquals("not reached (max 0.9700 at 64)", AnnReport.cell(curve(), 0.99));
    }
}
