package io.panavec;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What kind of index a {@link PanavecIndex} builds over its store. Written as a string in the index
 * manifest and on the command line:
 * <ul>
 *   <li>{@code flat}: exact scan by panavec's kernels;</li>
 *   <li>{@code hnsw:M=16,efc=100}: panavec's HNSW graph, scored by its kernels over the memory-mapped store;</li>
 *   <li>{@code faiss:<index_factory string>}, e.g. {@code faiss:HNSW32,Flat} or {@code faiss:IVF1024,PQ48}: a
 *       FAISS index through panavec's shim (it keeps its own copy or codes of the vectors).</li>
 * </ul>
 */
public sealed interface IndexSpec {
    /** The string form, parseable by {@link #parse(String)}. */
    String text();

    record Flat() implements IndexSpec {
        @Override
        public String text() {
            return "flat";
        }
    }

    /** HNSW with {@code m} links per node (2m on the bottom layer) and a build beam of {@code efConstruction}. */
    record Hnsw(int m, int efConstruction) implements IndexSpec {
        public Hnsw {
            if (m < 2 || m > 256) {
                throw new IllegalArgumentException("HNSW M must be in 2..256, was " + m);
            }
            if (efConstruction < 1) {
                throw new IllegalArgumentException("HNSW efConstruction must be positive, was " + efConstruction);
            }
        }

        @Override
        public String text() {
            return "hnsw:M=" + m + ",efc=" + efConstruction;
        }
    }

    /** A FAISS index_factory string. */
    record Faiss(String factory) implements IndexSpec {
        public Faiss {
            if (factory == null || factory.isBlank()) {
                throw new IllegalArgumentException("empty FAISS index_factory string");
            }
            factory = factory.trim();
        }

        @Override
        public String text() {
            return "faiss:" + factory;
        }
    }

    static IndexSpec flat() {
        return new Flat();
    }

    static IndexSpec hnsw(int m, int efConstruction) {
        return new Hnsw(m, efConstruction);
    }

    static IndexSpec faiss(String factory) {
        return new Faiss(factory);
    }

    /** Parses the string form; the message of a failure says what was expected. */
    static IndexSpec parse(String s) {
        String t = s.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("flat")) {
            return new Flat();
        }
        if (lower.startsWith("faiss:")) {
            return new Faiss(t.substring("faiss:".length()));
        }
        if (lower.equals("hnsw") || lower.startsWith("hnsw:")) {
            Map<String, String> kv = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            if (lower.startsWith("hnsw:")) {
                for (String part : t.substring(5).split(",")) {
                    String[] p = part.split("=", 2);
                    if (p.length != 2) {
                        throw new IllegalArgumentException("bad HNSW parameter '" + part + "' in '" + s + "' (expected M=16,efc=100)");
                    }
                    kv.put(p[0].trim(), p[1].trim());
                }
            }
            for (String key : kv.keySet()) {
                if (!key.equalsIgnoreCase("M") && !key.equalsIgnoreCase("efc")) {
                    throw new IllegalArgumentException("unknown HNSW parameter '" + key + "' in '" + s + "' (known: M, efc)");
                }
            }
            try {
                return new Hnsw(Integer.parseInt(kv.getOrDefault("M", "16")), Integer.parseInt(kv.getOrDefault("efc", "100")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("HNSW parameters must be integers in '" + s + "'");
            }
        }
        throw new IllegalArgumentException("unknown index spec '" + s + "' (expected flat, hnsw:M=16,efc=100 or faiss:<factory>)");
    }
}
