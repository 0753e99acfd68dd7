package io.panavec;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.StringEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * java-api's packages depend downward only: no package cycle. Read from the compiled classes' constant
 * pools, so every class a class names counts (fully qualified names and signatures too, not only imports).
 */
class PackageCyclesTest {

    @Test
    void javaApiHasNoPackageCycle() throws URISyntaxException {
        Path classes = Path.of(PanavecIndex.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        PackageGraph g = PackageGraph.read(classes);
        // the scan sees the facade's downward edges: an empty scan must not pass as "no cycle"
        assertTrue(g.targets("io.panavec").contains("io.panavec.engine"), () -> "io.panavec -> " + g.targets("io.panavec"));
        assertTrue(g.targets("io.panavec.engine").contains("io.panavec.graph"), () -> "engine -> " + g.targets("io.panavec.engine"));
        List<Set<String>> cycles = g.cycles();
        assertEquals(List.of(), cycles, () -> g.describe(cycles));
    }

    @Test
    void theCycleFinderFindsCyclesAndOnlyThem() {
        PackageGraph g = new PackageGraph();
        g.add("a", "b", "a.X -> b.Y");
        g.add("b", "c", "b.Y -> c.Z");
        g.add("c", "a", "c.Z -> a.X");
        g.add("d", "a", "d.W -> a.X");
        g.add("d", "e", "d.W -> e.V");
        g.add("e", "f", "e.V -> f.U");
        g.add("f", "e", "f.U -> e.V");
        assertEquals(List.of(Set.of("a", "b", "c"), Set.of("e", "f")), g.cycles());
        assertTrue(g.describe(g.cycles()).contains("c.Z -> a.X"), g.describe(g.cycles()));
        PackageGraph acyclic = new PackageGraph();
        acyclic.add("a", "b", "");
        acyclic.add("b", "c", "");
        acyclic.add("a", "c", "");
        assertEquals(List.of(), acyclic.cycles());
    }

    /** Packages and which others their classes name, with one example class pair per edge. */
    static final class PackageGraph {
        private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+)[;<]");

        private final Map<String, Set<String>> edges = new TreeMap<>();
        private final Map<String, String> examples = new HashMap<>();

        void add(String from, String to, String example) {
            edges.computeIfAbsent(from, p -> new TreeSet<>()).add(to);
            edges.computeIfAbsent(to, p -> new TreeSet<>());
            examples.putIfAbsent(from + " " + to, example);
        }

        Set<String> targets(String from) {
            return edges.getOrDefault(from, Set.of());
        }

        /** The graph of every package under {@code classes} (a class-file tree), edges to those packages only. */
        static PackageGraph read(Path classes) {
            Map<String, Set<String>> named = new TreeMap<>(); // class -> classes it names
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                    if (f.getFileName().toString().equals("module-info.class")) continue;
                    ClassModel cm = ClassFile.of().parse(Files.readAllBytes(f));
                    named.put(cm.thisClass().asInternalName(), namedClasses(cm));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Set<String> packages = new HashSet<>();
            for (String c : named.keySet()) packages.add(packageOf(c));
            PackageGraph g = new PackageGraph();
            named.forEach((from, tos) -> {
                String p = packageOf(from);
                g.edges.computeIfAbsent(dotted(p), x -> new TreeSet<>());
                for (String to : tos) {
                    String q = packageOf(to);
                    if (!q.equals(p) && packages.contains(q)) {
                        g.add(dotted(p), dotted(q), dotted(from) + " -> " + dotted(to));
                    }
                }
            });
            return g;
        }

        /** Every class the constant pool names: class entries and the classes in descriptors and signatures (not string literals). */
        private static Set<String> namedClasses(ClassModel cm) {
            Set<Integer> literals = new HashSet<>();
            for (PoolEntry e : cm.constantPool()) {
                if (e instanceof StringEntry s) literals.add(s.utf8().index());
            }
            Set<String> out = new TreeSet<>();
            for (PoolEntry e : cm.constantPool()) {
                if (e instanceof ClassEntry c) {
                    String n = c.asInternalName();
                    if (n.startsWith("[")) {
                        Matcher m = DESCRIPTOR_CLASS.matcher(n);
                        while (m.find()) out.add(m.group(1));
                    } else {
                        out.add(n);
                    }
                } else if (e instanceof Utf8Entry u && !literals.contains(u.index())) {
                    Matcher m = DESCRIPTOR_CLASS.matcher(u.stringValue());
                    while (m.find()) out.add(m.group(1));
                }
            }
            return out;
        }

        private static String packageOf(String internalName) {
            int slash = internalName.lastIndexOf('/');
            return slash < 0 ? "" : internalName.substring(0, slash);
        }

        private static String dotted(String internalName) {
            return internalName.replace('/', '.');
        }

        /** The strongly connected components of more than one package (Tarjan), each sorted, in order of their first package. */
        List<Set<String>> cycles() {
            Map<String, Integer> index = new HashMap<>();
            Map<String, Integer> low = new HashMap<>();
            Deque<String> stack = new ArrayDeque<>();
            Set<String> onStack = new HashSet<>();
            List<Set<String>> out = new ArrayList<>();
            for (String p : edges.keySet()) {
                if (!index.containsKey(p)) strongConnect(p, index, low, stack, onStack, out);
            }
            out.sort((a, b) -> ((TreeSet<String>) a).first().compareTo(((TreeSet<String>) b).first()));
            return out;
        }

        private void strongConnect(String p, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                                   Set<String> onStack, List<Set<String>> out) {
            index.put(p, index.size());
            low.put(p, index.get(p));
            stack.push(p);
            onStack.add(p);
            for (String q : targets(p)) {
                if (!index.containsKey(q)) {
                    strongConnect(q, index, low, stack, onStack, out);
                    low.put(p, Math.min(low.get(p), low.get(q)));
                } else if (onStack.contains(q)) {
                    low.put(p, Math.min(low.get(p), index.get(q)));
                }
            }
            if (low.get(p).equals(index.get(p))) {
                TreeSet<String> component = new TreeSet<>();
                String q;
                do {
                    q = stack.pop();
                    onStack.remove(q);
                    component.add(q);
                } while (!q.equals(p));
                if (component.size() > 1) out.add(component);
            }
        }

        /** Each cycle's packages and, for each edge inside it, one class naming the other package. */
        String describe(List<Set<String>> cycles) {
            StringBuilder b = new StringBuilder("package cycles:");
            for (Set<String> c : cycles) {
                b.append("\n  ").append(c);
                for (String from : c) {
                    for (String to : targets(from)) {
                        if (c.contains(to)) b.append("\n    ").append(examples.get(from + " " + to));
                    }
                }
            }
            return b.toString();
        }
    }
}
