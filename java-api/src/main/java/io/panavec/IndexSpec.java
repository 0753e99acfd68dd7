package io.panavec;

import io.panavec.quant.QuantSpec;
import io.panavec.store.ElementType;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What kind of index a {@link PanavecIndex} builds over its store. Written as a string in the index
 * manifest and on the command line:
 * <ul>
 *   <li>{@code flat}: exact scan by panavec's kernels;</li>
 *   <li>{@code hnsw:M=16,efc=100}: panavec's HNSW graph, scored by its kernels over the memory-mapped store;</li>
 *   <li>{@code faiss:<index_factory string>[,efc=N]}, e.g. {@code faiss:HNSW32,Flat,efc=100} or
 *       {@code faiss:IVF1024,PQ48}: a FAISS index through panavec's shim; {@code Flat} and {@code HNSW<M>[,Flat]}
 *       read the store's rows in place, the other factories keep FAISS's own codes or copy of the vectors;
 *       {@code efc} sets the build beam of an HNSW factory (FAISS's default is 40).</li>
 *   <li>{@code flat:quant=sq8}, {@code hnsw:M=16,efc=100,quant=lvq4x8}: the same structure searched on
 *       quantized codes ({@link QuantSpec} names the methods) and re-ranked at full precision (or with the
 *       residual level of two-level LVQ); see {@link Quantized}.</li>
 * </ul>
 */
public sealed interface IndexSpec {
    /** The string form, parseable by {@link #parse(String)}. */
    String text();

    /** The index structure (flat, hnsw or faiss) without quantization. */
    default IndexSpec structure() {
        return this;
    }

    /** The quantization codes are searched with, or null if the index searches full-precision vectors. */
    default QuantSpec quantization() {
        return null;
    }

    /** Whether the index learns from a query sample before its first add ({@code PanavecIndex.trainQueries}: LeanVec-OOD). */
    default boolean learnsFromQueries() {
        return quantization() != null && quantization().needsQueries();
    }

    /**
     * Whether an index of this spec can learn from a training sample ({@code PanavecIndex.train}: FAISS factories
     * that train, quantized codes); for every other spec {@code train} does nothing, so a caller need not read one.
     */
    default boolean takesTraining() {
        return this instanceof Faiss || quantization() != null;
    }

    /** Throws {@link IllegalArgumentException} unless this spec indexes a store of {@code type} (only flat reads other than F32 rows). */
    default void requireStoreType(ElementType type) {
        if (!(this instanceof Flat) && type != ElementType.F32) {
            throw new IllegalArgumentException(text() + " needs an F32 store");
        }
    }

    /**
     * A flat or HNSW structure whose searches score quantized codes of the vectors (kept in RAM, persisted
     * in the index directory), then re-rank the best candidates exactly.
     */
    record Quantized(IndexSpec structure, QuantSpec quantization) implements IndexSpec {
        public Quantized {
            if (!(structure instanceof Flat) && !(structure instanceof Hnsw)) {
                throw new IllegalArgumentException("quantization applies to flat and hnsw specs, not " + structure.text());
            }
            java.util.Objects.requireNonNull(quantization, "quantization");
        }

        @Override
        public String text() {
            return structure instanceof Flat ? "flat:quant=" + quantization : structure.text() + ",quant=" + quantization;
        }
    }

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

    /**
     * A FAISS index_factory string, and for factories with an HNSW layer the build beam {@code efConstruction}
     * ({@code faiss:HNSW16,Flat,efc=100}; 0 keeps FAISS's default of 40). FAISS writes it into its index file.
     */
    record Faiss(String factory, int efConstruction) implements IndexSpec {
        public Faiss {
            if (factory == null || factory.isBlank()) {
                throw new IllegalArgumentException("empty FAISS index_factory string");
            }
            factory = factory.trim();
            if (efConstruction < 0) {
                throw new IllegalArgumentException("FAISS efConstruction must be positive, was " + efConstruction);
            }
        }

        /** FAISS's own default build beam. */
        public Faiss(String factory) {
            this(factory, 0);
        }

        @Override
        public String text() {
            return "faiss:" + factory + (efConstruction > 0 ? ",efc=" + efConstruction : "");
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
        if (lower.startsWith("flat:")) {
            String[] p = t.substring(5).split("=", 2);
            if (p.length != 2 || !p[0].trim().equalsIgnoreCase("quant")) {
                throw new IllegalArgumentException("bad flat parameter in '" + s + "' (expected flat:quant=<method>)");
            }
            return new Quantized(new Flat(), QuantSpec.parse(p[1]));
        }
        if (lower.startsWith("faiss:")) {
            return faissSpec(s, t.substring("faiss:".length()));
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
                if (!key.equalsIgnoreCase("M") && !key.equalsIgnoreCase("efc") && !key.equalsIgnoreCase("quant")) {
                    throw new IllegalArgumentException("unknown HNSW parameter '" + key + "' in '" + s + "' (known: M, efc, quant)");
                }
            }
            try {
                Hnsw h = new Hnsw(Integer.parseInt(kv.getOrDefault("M", "16")), Integer.parseInt(kv.getOrDefault("efc", "100")));
                return kv.containsKey("quant") ? new Quantized(h, QuantSpec.parse(kv.get("quant"))) : h;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("HNSW parameters must be integers in '" + s + "'");
            }
        }
        throw new IllegalArgumentException("unknown index spec '" + s + "' (expected flat, flat:quant=<method>, hnsw:M=16,efc=100[,quant=<method>] or faiss:<factory>[,efc=N])");
    }

    /** A factory string, then optional {@code ,key=value} parameters (no FAISS factory component holds '='). */
    private static Faiss faissSpec(String s, String body) {
        String[] parts = body.split(",", -1);
        int end = parts.length;
        while (end > 0 && parts[end - 1].contains("=")) {
            end--;
        }
        int efc = 0;
        for (int i = end; i < parts.length; i++) {
            String[] p = parts[i].split("=", 2);
            if (!p[0].trim().equalsIgnoreCase("efc")) {
                throw new IllegalArgumentException("unknown FAISS parameter '" + p[0].trim() + "' in '" + s + "' (known: efc)");
            }
            try {
                efc = Integer.parseInt(p[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("FAISS efc must be an integer in '" + s + "'");
            }
            if (efc < 1) {
                throw new IllegalArgumentException("FAISS efc must be positive in '" + s + "'");
            }
        }
        return new Faiss(String.join(",", java.util.Arrays.copyOf(parts, end)), efc);
    }
}
