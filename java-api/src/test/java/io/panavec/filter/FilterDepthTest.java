package io.panavec.filter;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Filters nested thousands deep fail with a clear error, not a StackOverflowError (issue 10, item 11). */
class FilterDepthTest {
    @Test
    void deeplyNestedTextIsAParseErrorNamingTheLimit() {
        for (int depth : new int[] {1_000, 10_000}) {
            String parens = "(".repeat(depth) + "a = 1" + ")".repeat(depth);
            FilterParseException e = assertThrows(FilterParseException.class, () -> Filter.parse(parens));
            assertTrue(e.getMessage().contains("nested deeper than " + FilterParser.MAX_NESTING), e.getMessage());
            String nots = "NOT ".repeat(depth) + "a = 1";
            assertThrows(FilterParseException.class, () -> Filter.parse(nots));
            String mixed = "(a = 1 OR NOT (".repeat(depth) + "a = 2" + "))".repeat(depth);
            assertThrows(FilterParseException.class, () -> Filter.parse(mixed));
        }
    }

    @Test
    void nestingUpToTheLimitParsesAndPrintsBack() {
        int n = FilterParser.MAX_NESTING;
        String deepest = "(a = 1 OR (b = 2 AND ".repeat(n / 2) + "c = 3" + "))".repeat(n / 2);
        Filter f = Filter.parse(deepest);
        assertTrue(FilterDepth.depth(f) <= Filter.MAX_DEPTH);
        assertEquals(f, Filter.parse(Filter.text(f)));
    }

    @Test
    void builderRefusesDeeperThanMaxDepth() {
        Filter f = Filter.eq("a", 1);
        for (int i = 1; i < Filter.MAX_DEPTH; i++) f = i % 2 == 0 ? Filter.not(f) : Filter.or(f, Filter.eq("b", i));
        assertEquals(Filter.MAX_DEPTH, FilterDepth.depth(f));
        Filter deepest = f;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Filter.not(deepest));
        assertTrue(e.getMessage().contains("at most " + Filter.MAX_DEPTH), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Filter.and(Filter.eq("x", 1), deepest));
        // A wide filter is not a deep one.
        Filter[] many = new Filter[10_000];
        for (int i = 0; i < many.length; i++) many[i] = Filter.eq("a", i);
        assertEquals(2, FilterDepth.depth(Filter.or(many)));
    }
}
