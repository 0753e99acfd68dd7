package io.panavec.filter;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static io.panavec.filter.Planner.Strategy.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What the planner does, over random inputs rather than at its constants: nothing to score only when
 * nothing matches; no walk without a graph or for fewer matches than k; as more rows match it only moves
 * from the exact scan to ACORN to the post-filtered walk, never back; a larger beam only widens the
 * exact scan's share; its two knobs move the boundaries they name; beams honour the request and k.
 * ({@code FilteredPlanBehaviourTest} runs its choices on an index and checks their work.)
 */
class PlannerTest {
    private static final int CASES = 2000;
    private final SplittableRandom random = new SplittableRandom(5);

    private static int rank(Planner.Strategy s) {
        return switch (s) {
            case EMPTY -> -1;
            case EXACT -> 0;
            case ACORN -> 1;
            case POST_FILTER -> 2;
        };
    }

    private long rows() {
        return 1 + random.nextLong(10_000_000);
    }

    private int k() {
        return 1 + random.nextInt(500);
    }

    private int ef() {
        return random.nextBoolean() ? 0 : 1 + random.nextInt(1000);
    }

    @Test
    void emptyExactlyWhenNothingMatchesAndNoWalkWithoutAGraphOrBelowK() {
        Planner p = Planner.DEFAULT;
        for (int c = 0; c < CASES; c++) {
            long rows = rows();
            int k = k(), ef = ef();
            long matches = 1 + random.nextLong(rows);
            assertEquals(EMPTY, p.plan(0, rows, k, ef, random.nextBoolean()));
            assertNotEquals(EMPTY, p.plan(matches, rows, k, ef, true));
            assertEquals(EXACT, p.plan(matches, rows, k, ef, false), "no graph: " + matches + " of " + rows);
            assertEquals(EXACT, p.plan(Math.min(matches, k), rows, k, ef, true), "no more matches than k");
        }
    }

    @Test
    void moreMatchesOnlyEscalateTheStrategy() {
        Planner p = Planner.DEFAULT;
        for (int c = 0; c < 300; c++) {
            long rows = rows();
            int k = k(), ef = ef();
            int last = rank(EXACT);
            for (long m = 1; m <= rows; m = m * 11 / 10 + 1) {
                int r = rank(p.plan(m, rows, k, ef, true));
                assertTrue(r >= last, m + " of " + rows + " matching (k " + k + ", ef " + ef + ") went back to " + p.plan(m, rows, k, ef, true));
                last = r;
            }
        }
    }

    @Test
    void aLargerBeamOnlyWidensTheExactScan() {
        Planner p = Planner.DEFAULT;
        for (int c = 0; c < CASES; c++) {
            long rows = rows();
            int k = k(), ef = 1 + random.nextInt(1000);
            long matches = 1 + random.nextLong(rows);
            if (p.plan(matches, rows, k, ef, true) == EXACT) {
                assertEquals(EXACT, p.plan(matches, rows, k, ef + 1 + random.nextInt(1000), true));
            }
        }
    }

    @Test
    void theKnobsMoveTheBoundariesTheyName() {
        Planner noExact = new Planner(0, 0.3), alwaysExact = new Planner(1e15, 0.3);
        Planner noAcorn = new Planner(100, 0), noPostFilter = new Planner(100, 1.01);
        for (int c = 0; c < CASES; c++) {
            long rows = rows();
            int k = k(), ef = ef();
            long matches = 1 + random.nextLong(rows);
            if (matches > k) {
                assertNotEquals(EXACT, noExact.plan(matches, rows, k, ef, true));
            }
            assertEquals(EXACT, alwaysExact.plan(matches, rows, k, ef, true));
            assertNotEquals(ACORN, noAcorn.plan(matches, rows, k, ef, true));
            assertNotEquals(POST_FILTER, noPostFilter.plan(matches, rows, k, ef, true));
            // the selectivity boundary: past it the plain walk, below it ACORN (whenever a walk runs)
            Planner.Strategy s = noExact.plan(matches, rows, k, ef, true);
            if (s != EXACT) {
                assertEquals((double) matches / rows >= 0.3 ? POST_FILTER : ACORN, s);
            }
        }
    }

    @Test
    void beamsHonourTheRequestAndK() {
        Planner p = Planner.DEFAULT;
        for (int c = 0; c < CASES; c++) {
            int k = k(), ef = ef();
            for (Planner.Strategy s : new Planner.Strategy[] {ACORN, POST_FILTER}) {
                int beam = p.beam(s, k, ef);
                assertTrue(beam >= k, s + " beam " + beam + " below k " + k);
                if (ef >= k) assertEquals(ef, beam, "the request's beam");
                assertTrue(p.beam(s, k + 1, ef) >= beam, "beam shrinks as k grows");
            }
        }
    }
}
