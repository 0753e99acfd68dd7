package io.panavec.attributes;

import org.roaringbitmap.BitSetUtil;
import org.roaringbitmap.RoaringBitmap;

import java.util.Arrays;

/**
 * One numeric attribute, columnar: a value per row (long for int/long, double for float/double) and the
 * rows that have one. Ranges are answered from a sorted copy (values ascending, with their rows), rebuilt
 * lazily after appends: two binary searches give the exact count (the planner's estimate) and the rows.
 *
 * <p>Thread safety: appends by one writer under the table's write lock; range queries under its read lock
 * (the sorted copy is built by one reader at a time and published whole).
 */
final class NumericColumn {
    private final AttributeType type;
    private final boolean integral;
    private long[] longs = new long[1024];
    private double[] doubles = new double[0];
    private final RoaringBitmap present = new RoaringBitmap();
    private int rows;
    private volatile Sorted sorted = new Sorted(0, new int[0], new long[0], new double[0]);

    /** Present rows ordered by value; covers rows < upTo. */
    private record Sorted(int upTo, int[] rows, long[] longs, double[] doubles) {}

    NumericColumn(AttributeType type) {
        this.type = type;
        this.integral = type.isIntegral();
        if (!integral) {
            longs = new long[0];
            doubles = new double[1024];
        }
    }

    void append(int row, Object value) {
        if (row >= (integral ? longs.length : doubles.length)) {
            int cap = Math.max(row + 1, (integral ? longs.length : doubles.length) * 2);
            if (integral) longs = Arrays.copyOf(longs, cap);
            else doubles = Arrays.copyOf(doubles, cap);
        }
        if (value != null) {
            if (integral) longs[row] = (Long) value;
            else doubles[row] = (Double) value;
            present.add(row);
        }
        rows = row + 1;
    }

    RoaringBitmap present() {
        return present;
    }

    /** Rows among the first {@code limit} whose value lies in the range; bounds are Long, Double or null. */
    RoaringBitmap range(Object lower, boolean lowerInc, Object upper, boolean upperInc, int limit) {
        Sorted s = sortedUpTo(limit);
        int from, to;
        if (integral) {
            long[] ab = integerBounds(lower, lowerInc, upper, upperInc);
            if (ab == null) {
                return new RoaringBitmap();
            }
            from = firstAtLeast(s.longs, ab[0]);
            to = ab[1] == Long.MAX_VALUE ? s.longs.length : firstAtLeast(s.longs, ab[1] + 1);
        } else {
            double a = lower == null ? Double.NEGATIVE_INFINITY : bound(lower);
            double b = upper == null ? Double.POSITIVE_INFINITY : bound(upper);
            from = lowerInc || lower == null ? firstAtLeast(s.doubles, a) : firstAbove(s.doubles, a);
            to = upperInc || upper == null ? firstAbove(s.doubles, b) : firstAtLeast(s.doubles, b);
        }
        if (to <= from) {
            return new RoaringBitmap();
        }
        int count = to - from;
        RoaringBitmap out;
        if (count < (s.upTo >>> 5)) { // few rows: take them from the sorted copy
            int[] r = Arrays.copyOfRange(s.rows, from, to);
            Arrays.sort(r);
            out = RoaringBitmap.bitmapOf(r);
        } else { // many: one pass over the column into dense words
            out = scan(lower, lowerInc, upper, upperInc, s.upTo);
        }
        return out;
    }

    private RoaringBitmap scan(Object lower, boolean lowerInc, Object upper, boolean upperInc, int limit) {
        long[] words = new long[(limit + 63) >>> 6];
        if (integral) {
            long[] ab = integerBounds(lower, lowerInc, upper, upperInc);
            if (ab == null) {
                return new RoaringBitmap();
            }
            long a = ab[0], b = ab[1];
            for (int r = 0; r < limit; r++) {
                long v = longs[r];
                if (v >= a && v <= b) words[r >>> 6] |= 1L << r;
            }
        } else {
            double a = lower == null ? Double.NEGATIVE_INFINITY : bound(lower);
            double b = upper == null ? Double.POSITIVE_INFINITY : bound(upper);
            for (int r = 0; r < limit; r++) {
                double v = doubles[r];
                if ((lowerInc || lower == null ? v >= a : v > a) && (upperInc || upper == null ? v <= b : v < b)) {
                    words[r >>> 6] |= 1L << r;
                }
            }
        }
        RoaringBitmap out = BitSetUtil.bitmapOf(words);
        out.and(present); // missing rows hold 0 in the column
        return out;
    }

    /** The inclusive integer range [a, b] the bounds allow, or null when none does. */
    private static long[] integerBounds(Object lower, boolean lowerInc, Object upper, boolean upperInc) {
        long a = Long.MIN_VALUE, b = Long.MAX_VALUE;
        if (lower instanceof Long l) {
            if (!lowerInc && l == Long.MAX_VALUE) return null;
            a = lowerInc ? l : l + 1;
        } else if (lower instanceof Double d) {
            double c = lowerInc ? Math.ceil(d) : Math.floor(d) + 1;
            if (c >= 0x1p63) return null;
            a = c < -0x1p63 ? Long.MIN_VALUE : (long) c;
        }
        if (upper instanceof Long u) {
            if (!upperInc && u == Long.MIN_VALUE) return null;
            b = upperInc ? u : u - 1;
        } else if (upper instanceof Double d) {
            double c = upperInc ? Math.floor(d) : Math.ceil(d) - 1;
            if (c < -0x1p63) return null;
            b = c >= 0x1p63 ? Long.MAX_VALUE : (long) c;
        }
        return a > b ? null : new long[] {a, b};
    }

    private double bound(Object v) {
        double d = ((Number) v).doubleValue();
        return type == AttributeType.FLOAT ? (double) (float) d : d;
    }

    private Sorted sortedUpTo(int limit) {
        Sorted s = sorted;
        if (s.upTo == limit) {
            return s;
        }
        synchronized (this) {
            s = sorted;
            if (s.upTo != limit) {
                s = build(limit);
                sorted = s;
            }
            return s;
        }
    }

    private Sorted build(int limit) {
        RoaringBitmap p = present.clone();
        if (limit < rows) {
            p.remove(limit, (long) rows);
        }
        int[] rs = p.toArray();
        int n = rs.length;
        if (integral) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) keys[i] = longs[rs[i]];
            Integer[] order = sortOrder(n, (x, y) -> Long.compare(keys[x], keys[y]));
            int[] r = new int[n];
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                r[i] = rs[order[i]];
                v[i] = keys[order[i]];
            }
            return new Sorted(limit, r, v, new double[0]);
        }
        double[] keys = new double[n];
        for (int i = 0; i < n; i++) keys[i] = doubles[rs[i]];
        Integer[] order = sortOrder(n, (x, y) -> Double.compare(keys[x], keys[y]));
        int[] r = new int[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = rs[order[i]];
            v[i] = keys[order[i]];
        }
        return new Sorted(limit, r, new long[0], v);
    }

    private static Integer[] sortOrder(int n, java.util.Comparator<Integer> cmp) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, cmp);
        return order;
    }

    private static int firstAtLeast(long[] a, long x) {
        return firstWhere(a.length, i -> a[i] >= x);
    }

    private static int firstAtLeast(double[] a, double x) {
        return firstWhere(a.length, i -> a[i] >= x);
    }

    private static int firstAbove(double[] a, double x) {
        return firstWhere(a.length, i -> a[i] > x);
    }

    /** The first index in [0, n) where {@code past} holds, for a predicate false then true along the index (n if never). */
    private static int firstWhere(int n, java.util.function.IntPredicate past) {
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (past.test(mid)) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
