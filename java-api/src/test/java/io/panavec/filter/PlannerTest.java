package io.panavec.filter;

import org.junit.jupiter.api.Test;

import static io.panavec.filter.Planner.Strategy.*;
import static org.junit.jupiter.api.Assertions.*;

/** The planner's choices at the boundaries its javadoc states, and the beams it gives each walk. */
class PlannerTest {
    private final Planner p = Planner.DEFAULT;

    @Test
    void strategyFollowsMatchCountAndSelectivity() {
        long rows = 115_659;
        assertEquals(EMPTY, p.plan(0, rows, 10, 0, true));
        assertEquals(EXACT, p.plan(5, rows, 10, 0, true), "fewer matches than k");
        assertEquals(EXACT, p.plan(50_000, rows, 10, 0, false), "no graph");
        assertEquals(EXACT, p.plan(100L * Planner.ACORN_EF, rows, 10, 0, true), "up to 100 x the ACORN beam");
        assertEquals(ACORN, p.plan(100L * Planner.ACORN_EF + 1, rows, 10, 0, true), "8% matching");
        assertEquals(ACORN, p.plan((long) (rows * 0.29), rows, 10, 0, true));
        assertEquals(POST_FILTER, p.plan((long) (rows * 0.30) + 1, rows, 10, 0, true));
        assertEquals(POST_FILTER, p.plan(80_717, rows, 10, 0, true), "70% matching");
        // A beam in the request moves the exact-scan bound with it.
        assertEquals(EXACT, p.plan(15_000, rows, 10, 200, true));
        assertEquals(ACORN, p.plan(15_000, rows, 10, 50, true));
    }

    @Test
    void beamIsTheRequestsOrTheMeasuredDefaultAndAtLeastK() {
        assertEquals(Planner.POST_FILTER_EF, p.beam(POST_FILTER, 10, 0));
        assertEquals(Planner.ACORN_EF, p.beam(ACORN, 10, 0));
        assertEquals(100, p.beam(POST_FILTER, 50, 0), "2k for large k");
        assertEquals(300, p.beam(ACORN, 300, 0));
        assertEquals(40, p.beam(POST_FILTER, 10, 40), "the request's ef wins");
        assertEquals(40, p.beam(ACORN, 10, 40));
        assertEquals(25, p.beam(POST_FILTER, 25, 8), "never below k");
    }
}
