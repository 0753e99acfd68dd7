package io.panavec.engine;

import io.panavec.filter.Planner;
import io.panavec.internal.NativeMetric;
import io.panavec.store.VectorStore;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;

/**
 * Decides, once per query, how it runs, for every engine alike, and runs it with the guarantee: a query
 * never returns a row outside its allow-set (filter matches minus deleted rows) and returns min(k, allowed)
 * rows, filtered or not. The {@link Planner} (cost model) picks among an exact scan of the allowed rows, a filter-aware
 * (ACORN) walk and a post-filtered walk; an engine that cannot restrict its search to an allow-set (some
 * FAISS index types) is asked for more rows instead and post-filtered; whatever walk finds too few is
 * finished by an exact scan of the allowed rows. Every candidate is checked against the allow-set.
 *
 * <p>Thread-safe: searches run concurrently; the cost model may be replaced at any time.
 */
public final class QueryPlanner {
    /** How many more rows than wanted a post-filtered search asks for, beyond 1/selectivity. */
    static final double WIDEN_MARGIN = 1.5;

    private final SearchEngine engine;
    private final FlatEngine exact;
    private final boolean higherIsBetter;
    private volatile Planner costs;

    private QueryPlanner(SearchEngine engine, FlatEngine exact, boolean higherIsBetter, Planner costs) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.exact = Objects.requireNonNull(exact, "exact");
        this.higherIsBetter = higherIsBetter;
        this.costs = Objects.requireNonNull(costs, "costs");
    }

    /** The planner of {@code engine} over {@code store}'s rows scored by {@code metric}, with its exact scan for fallbacks. */
    public static QueryPlanner over(SearchEngine engine, VectorStore store, NativeMetric metric, Planner costs) {
        return new QueryPlanner(engine, new FlatEngine(store, metric), metric.higherIsBetter(), costs);
    }

    /** The planner of an exact index: every query is an exact scan of {@code store}'s rows (the blocked scan for batches). */
    public static QueryPlanner exact(VectorStore store, NativeMetric metric) {
        FlatEngine flat = new FlatEngine(store, metric);
        return new QueryPlanner(flat, flat, metric.higherIsBetter(), Planner.DEFAULT);
    }

    public void costs(Planner p) {
        this.costs = Objects.requireNonNull(p, "planner");
    }

    public SearchEngine engine() {
        return engine;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * An unfiltered query over the first {@code rows} store rows; {@code live} holds the rows not deleted (null
     * when none is), used unless the engine keeps deleted rows out itself. A walk can come back short of
     * min(k, live rows) (duplicates and near-duplicates leave parts of a graph unreachable from the entry point,
     * tombstones eat the beam, an IVF probes too few lists): an exact scan of the live rows then answers, as
     * for a filtered walk.
     */
    public Candidates search(float[] query, int k, Effort effort, AllowSet live, long rows) {
        if (live == null) {
            Candidates found = engine.search(query, k, effort, null, Walk.POST_FILTER);
            if (found.size() >= Math.min(k, rows)) {
                return found;
            }
            Candidates all = exact.searchFirst(query, k, rows);
            return new Candidates(all.rows(), all.scores(), Math.max(found.scored(), 0) + rows, engine.label() + "+exact-fallback");
        }
        if (engine.excludesDeleted()) { // checked still: an add tombstones the rows of its batch it replaced after linking them
            Candidates found = engine.search(query, k, effort, null, Walk.POST_FILTER).retain(live);
            return found.size() >= Math.min(k, live.count()) ? found : exactFallback(query, k, effort, live, found, engine.label());
        }
        return restricted(engine, query, k, effort, live, Walk.POST_FILTER, engine.label());
    }

    /**
     * Many unfiltered queries of one k and effort (the batch form of {@link #search}). The exact engine answers
     * them with its blocked scan, each row read once per range of queries; every other engine answers each
     * query on its own path. Either way the work is spread over {@code pool} (null: the calling thread).
     */
    public List<Candidates> searchBatch(float[][] queries, int k, Effort effort, AllowSet live, long rows, ForkJoinPool pool) {
        if (engine instanceof FlatEngine flat) {
            return flat.searchBatch(queries, k, live, pool);
        }
        return Parallel.map(pool, queries.length, i -> search(queries[i], k, effort, live, rows));
    }

    /** Filtered queries, each with its allow-set, spread over {@code pool} (the batch form of {@link #searchFiltered}). */
    public List<Candidates> searchFilteredBatch(float[][] queries, int[] k, Effort[] effort, AllowSet[] matches, ForkJoinPool pool) {
        return Parallel.map(pool, queries.length, i -> searchFiltered(queries[i], k[i], effort[i], matches[i]));
    }

    /** A filtered query: {@code matches} holds the rows that match and are not deleted. */
    public Candidates searchFiltered(float[] query, int k, Effort effort, AllowSet matches) {
        Planner p = costs;
        Planner.Strategy strategy = p.plan(matches.count(), matches.rows(), k, effort.ef(), engine.walks());
        return switch (strategy) {
            case EMPTY -> Candidates.empty(strategy.label(), 0);
            case EXACT -> exact.search(query, k, effort, matches, Walk.POST_FILTER).withLabel(strategy.label());
            case ACORN, POST_FILTER -> {
                SearchEngine walker = engine.filteredEngine();
                Walk walk = strategy == Planner.Strategy.ACORN ? Walk.ACORN : Walk.POST_FILTER;
                yield walker instanceof FaissEngine
                        ? restricted(walker, query, k, effort, matches, walk, "faiss-filtered")
                        : restricted(walker, query, k, effort.withEf(p.beam(strategy, k, effort.ef())), matches, walk, strategy.label());
            }
        };
    }

    /** Runs {@code walker} restricted to {@code allow}, post-filtering when it refuses, finishing exactly when short. */
    private Candidates restricted(SearchEngine walker, float[] query, int k, Effort effort, AllowSet allow, Walk walk, String label) {
        Candidates found;
        try {
            found = walker.search(query, k, effort, allow, walk);
        } catch (AllowSetRefusedException e) {
            found = widened(walker, query, k, effort, allow);
        }
        found = found.retain(allow);
        if (found.size() < Math.min(k, allow.count())) {
            return exactFallback(query, k, effort, allow, found, label);
        }
        return found.top(k).withLabel(label);
    }

    /**
     * The exact scan of the first {@code rows} rows for a query already in native memory (of the store's element
     * type: an int8 store takes int8 queries), restricted to the rows set in {@code allow} (bit r of 64-bit word
     * r/64, covering {@code rows}; {@link MemorySegment#NULL}: every row).
     */
    public Candidates scan(Arena arena, MemorySegment query, int k, MemorySegment allow, long rows) {
        return exact.scan(arena, query, k, allow, rows);
    }

    /** The exact answer over {@code allow}, for a walk that {@code found} too few; the work of both is counted. */
    private Candidates exactFallback(float[] query, int k, Effort effort, AllowSet allow, Candidates found, String label) {
        Candidates all = exact.search(query, k, effort, allow, Walk.POST_FILTER);
        return new Candidates(all.rows(), all.scores(), Math.max(found.scored(), 0) + allow.count(), label + "+exact-fallback");
    }

    /** An unrestricted search for about k / selectivity rows, filtered afterwards. */
    private static Candidates widened(SearchEngine walker, float[] query, int k, Effort effort, AllowSet allow) {
        double wanted = Math.ceil(WIDEN_MARGIN * k / Math.max(allow.selectivity(), 1e-9));
        int widerK = (int) Math.max(k, Math.min(Math.min(wanted, allow.rows()), Integer.MAX_VALUE - 8));
        return walker.search(query, widerK, effort, null, Walk.POST_FILTER).retain(allow);
    }
}
