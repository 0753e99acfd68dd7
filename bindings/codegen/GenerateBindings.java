import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates the Java bindings of libpanavec from native/include/panavec.def, the one list of its ABI
 * (jextract cannot run on the build machines; this needs only the JDK). Run by Maven (module
 * panavec-bindings, phase generate-sources) as a single-file program:
 *
 * <pre>java GenerateBindings.java path/to/panavec.def output/source/root</pre>
 *
 * Writes io/panavec/bindings/&lt;class&gt;.java for every group of the list (core -> panavec_h,
 * graph -> panavec_graph_h, ...: constants, layouts, and per function a lazily resolved downcall
 * handle with $descriptor/$handle/$address accessors) and PanavecDef.java (the list as data, for
 * tests and error messages). Fails, naming the entry, on a C type it cannot map or a kernel whose
 * argument list does not match its parameters.
 */
public final class GenerateBindings {
    private static final String PACKAGE = "io.panavec.bindings";
    private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case",
            "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
            "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long",
            "native", "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
            "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while");

    record Param(String cType, String name) {}

    /** One macro call of the list; kind is the macro name (PV_CONST, PV_FN, PV_KERNEL, PV_ISA_KERNEL). */
    record Entry(String kind, List<String> args, String doc, int line) {
        String where() {
            return "panavec.def:" + line + " (" + kind + " " + (args.size() > 2 ? args.get(2) : args) + ")";
        }
    }

    record Function(String group, String kind, String returnType, String symbol, List<Param> params, boolean critical,
                    String testedBy, String doc) {}

    record Constant(String group, String kind, String name, long value, String doc) {}

    public static void main(String[] argv) throws IOException {
        if (argv.length != 2) {
            throw new IllegalArgumentException("usage: java GenerateBindings.java panavec.def <output source root>");
        }
        Path def = Path.of(argv[0]);
        Path out = Path.of(argv[1]).resolve(PACKAGE.replace('.', '/'));
        List<Entry> entries = parse(Files.readString(def));
        List<Function> functions = new ArrayList<>();
        List<Constant> constants = new ArrayList<>();
        for (Entry e : entries) {
            switch (e.kind()) {
                case "PV_CONST" -> constants.add(constant(e));
                case "PV_FN", "PV_KERNEL", "PV_ISA_KERNEL" -> functions.add(function(e));
                default -> throw new IllegalStateException(e.where() + ": unknown entry");
            }
        }
        checkTestedBy(functions);
        Map<String, List<Object>> groups = new LinkedHashMap<>();
        for (Constant c : constants) groups.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c);
        for (Function f : functions) {
            if (!f.kind().equals("PV_ISA_KERNEL")) groups.computeIfAbsent(f.group(), g -> new ArrayList<>()).add(f);
        }
        Files.createDirectories(out);
        for (Map.Entry<String, List<Object>> g : groups.entrySet()) {
            String cls = className(g.getKey());
            write(out.resolve(cls + ".java"), bindingClass(g.getKey(), cls, g.getValue()));
        }
        write(out.resolve("PanavecDef.java"), defClass(functions, constants));
        System.out.println("GenerateBindings: " + functions.size() + " functions, " + constants.size() + " constants, "
                + groups.size() + " classes from " + def + " into " + out);
    }

    private static void write(Path file, String text) throws IOException {
        if (Files.exists(file) && Files.readString(file).equals(text)) {
            return; // unchanged: keep the timestamp so the compiler does not redo work
        }
        Files.writeString(file, text);
    }

    static String className(String group) {
        return group.equals("core") ? "panavec_h" : "panavec_" + group + "_h";
    }

    // ---- parsing ------------------------------------------------------------------------------

    /** The macro calls of the list, each with the comment right before it (if any). */
    static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String doc = null;
        int i = 0, line = 1, n = text.length();
        while (i < n) {
            char ch = text.charAt(i);
            if (ch == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(ch)) {
                i++;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) throw new IllegalStateException("panavec.def:" + line + ": unterminated comment");
                String c = text.substring(i + 2, end);
                line += count(c, '\n');
                doc = cleanComment(c);
                i = end + 2;
            } else if (ch == '#') { // preprocessor line: not an entry, and it detaches a comment before it
                int end = text.indexOf('\n', i);
                i = end < 0 ? n : end;
                doc = null;
            } else if (Character.isJavaIdentifierStart(ch)) {
                int start = i;
                while (i < n && Character.isJavaIdentifierPart(text.charAt(i))) i++;
                String name = text.substring(start, i);
                while (i < n && text.charAt(i) == ' ') i++;
                if (i >= n || text.charAt(i) != '(') {
                    throw new IllegalStateException("panavec.def:" + line + ": expected a macro call, found " + name);
                }
                int close = matching(text, i, line);
                String inner = text.substring(i + 1, close);
                entries.add(new Entry(name, splitTopLevel(inner), doc, line));
                line += count(inner, '\n');
                doc = null;
                i = close + 1;
            } else {
                throw new IllegalStateException("panavec.def:" + line + ": unexpected '" + ch + "'");
            }
        }
        return entries;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }

    private static int matching(String text, int open, int line) {
        int depth = 0;
        for (int j = open; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '(') depth++;
            if (c == ')' && --depth == 0) return j;
        }
        throw new IllegalStateException("panavec.def:" + line + ": unbalanced parentheses");
    }

    /** Splits at commas outside parentheses; trims each part. */
    static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, j).trim().replaceAll("\\s+", " "));
                start = j + 1;
            }
        }
        String last = s.substring(start).trim().replaceAll("\\s+", " ");
        if (!last.isEmpty() || !parts.isEmpty()) parts.add(last);
        return parts;
    }

    private static String cleanComment(String c) {
        StringBuilder sb = new StringBuilder();
        for (String l : c.split("\n")) {
            String t = l.strip();
            if (t.startsWith("*")) t = t.substring(1).strip();
            if (!t.isEmpty()) sb.append(sb.isEmpty() ? "" : " ").append(t);
        }
        return sb.toString();
    }

    private static Constant constant(Entry e) {
        expectArgs(e, 4);
        long value;
        try {
            value = Long.decode(e.args().get(3));
        } catch (NumberFormatException ex) {
            throw new IllegalStateException(e.where() + ": the value must be an integer literal", ex);
        }
        if (value != (int) value) throw new IllegalStateException(e.where() + ": the value must fit an int32_t");
        return new Constant(e.args().get(0), e.args().get(1), e.args().get(2), value, e.doc());
    }

    private static Function function(Entry e) {
        List<String> a = e.args();
        return switch (e.kind()) {
            case "PV_FN" -> {
                expectArgs(e, 5);
                yield new Function(a.get(0), e.kind(), a.get(1), a.get(2), params(e, a.get(3)), critical(e, a.get(4)), null,
                        e.doc());
            }
            case "PV_KERNEL" -> {
                expectArgs(e, 6);
                List<Param> ps = params(e, a.get(3));
                List<String> args = unparen(e, a.get(4)).isEmpty() ? List.of() : splitTopLevel(unparen(e, a.get(4)));
                if (!args.equals(ps.stream().map(Param::name).toList())) {
                    throw new IllegalStateException(e.where() + ": the argument list " + a.get(4)
                            + " must name the parameters in order: " + ps.stream().map(Param::name).toList());
                }
                yield new Function(a.get(0), e.kind(), a.get(1), "pv_" + a.get(2), ps, critical(e, a.get(5)), null, e.doc());
            }
            default -> {
                expectArgs(e, 4);
                yield new Function("internal", e.kind(), a.get(0), a.get(1), params(e, a.get(2)), false, a.get(3), e.doc());
            }
        };
    }

    private static void checkTestedBy(List<Function> functions) {
        Set<String> exported = Set.copyOf(functions.stream().filter(f -> !f.kind().equals("PV_ISA_KERNEL"))
                .map(Function::symbol).toList());
        for (Function f : functions) {
            if (f.testedBy() != null && !exported.contains(f.testedBy())) {
                throw new IllegalStateException("panavec.def: " + f.symbol() + " is tested_by " + f.testedBy()
                        + ", which is not an exported function of the list");
            }
        }
    }

    private static void expectArgs(Entry e, int count) {
        if (e.args().size() != count) {
            throw new IllegalStateException(e.where() + ": expected " + count + " arguments, got " + e.args().size());
        }
    }

    private static boolean critical(Entry e, String flag) {
        return switch (flag) {
            case "CRITICAL" -> true;
            case "PLAIN" -> false;
            default -> throw new IllegalStateException(e.where() + ": the last argument must be CRITICAL or PLAIN, not " + flag);
        };
    }

    private static String unparen(Entry e, String s) {
        if (!s.startsWith("(") || !s.endsWith(")")) {
            throw new IllegalStateException(e.where() + ": expected a parenthesized list, got " + s);
        }
        return s.substring(1, s.length() - 1).trim();
    }

    private static List<Param> params(Entry e, String list) {
        String inner = unparen(e, list);
        if (inner.isEmpty() || inner.equals("void")) return List.of();
        List<Param> ps = new ArrayList<>();
        for (String p : splitTopLevel(inner)) {
            int cut = p.length();
            while (cut > 0 && Character.isJavaIdentifierPart(p.charAt(cut - 1))) cut--;
            String type = p.substring(0, cut).trim(), name = p.substring(cut);
            if (type.isEmpty() || name.isEmpty()) throw new IllegalStateException(e.where() + ": parameter '" + p + "' needs a type and a name");
            javaType(e, type); // fails early on a type it cannot map
            ps.add(new Param(type, name));
        }
        return ps;
    }

    // ---- C types -> layouts ---------------------------------------------------------------------

    /** The layout constant of a C type (a field of the generated class). */
    static String layout(String cType) {
        if (cType.contains("*")) return "C_POINTER";
        return switch (cType) {
            case "int32_t", "uint32_t" -> "C_INT";
            case "int64_t", "uint64_t" -> "C_LONG";
            case "float" -> "C_FLOAT";
            case "double" -> "C_DOUBLE";
            default -> throw new IllegalStateException("no layout for C type '" + cType + "': add it to GenerateBindings.layout");
        };
    }

    private static String javaType(Entry e, String cType) {
        try {
            return javaType(cType);
        } catch (IllegalStateException ex) {
            throw new IllegalStateException(e.where() + ": " + ex.getMessage(), ex);
        }
    }

    static String javaType(String cType) {
        if (cType.equals("void")) return "void";
        return switch (layout(cType)) {
            case "C_POINTER" -> "MemorySegment";
            case "C_INT" -> "int";
            case "C_LONG" -> "long";
            case "C_FLOAT" -> "float";
            default -> "double";
        };
    }

    private static String javaName(String cName) {
        return JAVA_KEYWORDS.contains(cName) ? cName + "$" : cName;
    }

    // ---- output ---------------------------------------------------------------------------------

    private static String javadoc(String indent, String... paragraphs) {
        StringBuilder sb = new StringBuilder(indent).append("/**\n");
        for (String p : paragraphs) {
            if (p == null || p.isEmpty()) continue;
            boolean first = sb.length() == indent.length() + 4;
            if (!first) sb.append(indent).append(" *\n");
            for (String l : wrap(first ? p : "<p>" + p, 100)) sb.append(indent).append(" * ").append(l).append('\n');
        }
        return sb.append(indent).append(" */\n").toString();
    }

    /** Documentation text from the list, escaped for Javadoc (null stays null). */
    private static String html(String s) {
        if (s == null) return null;
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;");
    }

    private static List<String> wrap(String s, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String w : s.split(" ")) {
            if (cur.length() > 0 && cur.length() + 1 + w.length() > width) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            if (cur.length() > 0) cur.append(' ');
            cur.append(w);
        }
        if (cur.length() > 0) lines.add(cur.toString());
        return lines;
    }

    private static String cSignature(Function f) {
        StringBuilder sb = new StringBuilder(f.returnType()).append(f.returnType().endsWith("*") ? "" : " ").append(f.symbol()).append('(');
        if (f.params().isEmpty()) sb.append("void");
        for (int i = 0; i < f.params().size(); i++) {
            Param p = f.params().get(i);
            sb.append(i > 0 ? ", " : "").append(p.cType()).append(p.cType().endsWith("*") ? "" : " ").append(p.name());
        }
        return sb.append(')').toString();
    }

    private static final String HEADER = "// Generated by bindings/codegen/GenerateBindings.java from native/include/panavec.def. Do not edit:\n"
            + "// change the list (see native/README.md) and rebuild.\n\n";

    static String bindingClass(String group, String cls, List<Object> members) {
        StringBuilder sb = new StringBuilder(HEADER);
        sb.append("package ").append(PACKAGE).append(";\n\n");
        sb.append("import java.lang.foreign.AddressLayout;\n");
        sb.append("import java.lang.foreign.FunctionDescriptor;\n");
        sb.append("import java.lang.foreign.Linker;\n");
        sb.append("import java.lang.foreign.MemoryLayout;\n");
        sb.append("import java.lang.foreign.MemorySegment;\n");
        sb.append("import java.lang.foreign.ValueLayout;\n");
        sb.append("import java.lang.invoke.MethodHandle;\n\n");
        String header = group.equals("core") ? "panavec.h" : "panavec_" + group + ".h";
        sb.append(javadoc("", "Bindings of the \"" + group + "\" group of panavec.def (declared in " + header
                        + "): its constants, and for each function a downcall method with $descriptor, $handle and $address"
                        + " accessors. Symbols resolve through NativeLibrary on first use of each function.",
                "Functions marked critical (Linker.Option.critical(true)) accept heap segments (MemorySegment.ofArray)"
                        + " as well as native ones; they block the garbage collector while they run, so callers pass bounded"
                        + " chunks. No method validates its arguments: see each function's contract. Thread-safe (stateless)."));
        sb.append("@SuppressWarnings(\"unused\")\n");
        sb.append("public final class ").append(cls).append(" {\n");
        sb.append("    private ").append(cls).append("() {}\n\n");
        sb.append("    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;\n");
        sb.append("    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;\n");
        sb.append("    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;\n");
        sb.append("    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;\n");
        sb.append("    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;\n");
        sb.append("    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS\n");
        sb.append("            .withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE));\n");
        for (Object m : members) {
            if (m instanceof Constant c) {
                sb.append('\n').append(javadoc("    ", html(c.doc()), "{@code " + c.name() + " = " + c.value() + "} (kind " + c.kind() + ")"));
                sb.append("    public static final int ").append(c.name()).append(" = ").append(c.value()).append(";\n\n");
                sb.append(javadoc("    ", "The value of " + c.name() + ", in jextract's accessor style."));
                sb.append("    public static int ").append(c.name()).append("() {\n        return ").append(c.name()).append(";\n    }\n");
            }
        }
        for (Object m : members) {
            if (m instanceof Function f) appendFunction(sb, f);
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static void appendFunction(StringBuilder sb, Function f) {
        String s = f.symbol();
        String sig = "{@code " + cSignature(f) + "}";
        StringBuilder desc = new StringBuilder(f.returnType().equals("void") ? "FunctionDescriptor.ofVoid(" : "FunctionDescriptor.of(");
        List<String> layouts = new ArrayList<>();
        if (!f.returnType().equals("void")) layouts.add(layout(f.returnType()));
        for (Param p : f.params()) layouts.add(layout(p.cType()));
        desc.append(String.join(", ", layouts)).append(')');
        sb.append("\n    private static final class ").append(s).append(" {\n");
        sb.append("        static final FunctionDescriptor DESC = ").append(desc).append(";\n");
        sb.append("        static final MemorySegment ADDR = NativeLibrary.symbol(\"").append(s).append("\");\n");
        sb.append("        static final MethodHandle HANDLE = NativeLibrary.downcall(\"").append(s).append("\", DESC")
                .append(f.critical() ? ", Linker.Option.critical(true)" : "").append(");\n    }\n\n");
        sb.append(javadoc("    ", "Function descriptor of " + sig + "."));
        sb.append("    public static FunctionDescriptor ").append(s).append("$descriptor() {\n        return ").append(s).append(".DESC;\n    }\n\n");
        sb.append(javadoc("    ", "Downcall handle of " + sig + "."));
        sb.append("    public static MethodHandle ").append(s).append("$handle() {\n        return ").append(s).append(".HANDLE;\n    }\n\n");
        sb.append(javadoc("    ", "Address of " + sig + "."));
        sb.append("    public static MemorySegment ").append(s).append("$address() {\n        return ").append(s).append(".ADDR;\n    }\n\n");
        String ret = javaType(f.returnType());
        List<String> formals = new ArrayList<>(), actuals = new ArrayList<>();
        for (Param p : f.params()) {
            formals.add(javaType(p.cType()) + " " + javaName(p.name()));
            actuals.add(javaName(p.name()));
        }
        sb.append(javadoc("    ", html(f.doc()), sig + (f.kind().equals("PV_KERNEL") ? " (dispatched to the ISA level in use)" : "")
                + (f.critical() ? "; critical." : ".")));
        sb.append("    public static ").append(ret).append(' ').append(s).append('(').append(String.join(", ", formals)).append(") {\n");
        sb.append("        try {\n            ");
        if (!ret.equals("void")) sb.append("return (").append(ret).append(") ");
        sb.append(s).append(".HANDLE.invokeExact(").append(String.join(", ", actuals)).append(");\n");
        sb.append("        } catch (Error | RuntimeException ex) {\n            throw ex;\n");
        sb.append("        } catch (Throwable ex) {\n            throw new AssertionError(\"should not reach here\", ex);\n        }\n    }\n");
    }

    static String defClass(List<Function> functions, List<Constant> constants) {
        StringBuilder sb = new StringBuilder(HEADER);
        sb.append("package ").append(PACKAGE).append(";\n\n");
        sb.append("import java.util.List;\n\n");
        sb.append(javadoc("", "panavec.def as data: every entry of the list the C declarations, the ISA kernel tables and the"
                + " bindings are generated from, with its C types as written there. Tests derive the kernel test matrix and"
                + " check the bindings' layouts from it; error messages name constants with it. Immutable, thread-safe."));
        sb.append("public final class PanavecDef {\n    private PanavecDef() {}\n\n");
        sb.append("    /** How an entry is implemented. */\n");
        sb.append("    public enum Kind {\n");
        sb.append("        /** PV_FN: exported, implemented once. */\n        FUNCTION,\n");
        sb.append("        /** PV_KERNEL: exported, forwarded through the ISA table to one implementation per level. */\n        KERNEL,\n");
        sb.append("        /** PV_ISA_KERNEL: in the ISA table only, tested through the exported function testedBy. */\n        ISA_KERNEL\n    }\n\n");
        sb.append("    /** A parameter: its C type as written in the list, and its name. */\n");
        sb.append("    public record Param(String cType, String name) {}\n\n");
        sb.append("    /** A function entry; group is null for ISA_KERNEL entries, testedBy null for the others. */\n");
        sb.append("    public record Function(String symbol, Kind kind, String group, String bindingClass, String returnType,\n");
        sb.append("            List<Param> params, boolean critical, String testedBy) {}\n\n");
        sb.append("    /** A constant of a kind (status, metric, elem, isa, ...). */\n");
        sb.append("    public record Constant(String name, String kind, String group, int value) {}\n\n");
        sb.append("    /** Every function entry, in list order. */\n");
        sb.append("    public static final List<Function> FUNCTIONS = List.of(\n");
        for (int i = 0; i < functions.size(); i++) {
            Function f = functions.get(i);
            String kind = switch (f.kind()) {
                case "PV_FN" -> "FUNCTION";
                case "PV_KERNEL" -> "KERNEL";
                default -> "ISA_KERNEL";
            };
            boolean internal = f.kind().equals("PV_ISA_KERNEL");
            sb.append("            new Function(").append(q(f.symbol())).append(", Kind.").append(kind).append(", ")
                    .append(internal ? "null" : q(f.group())).append(", ").append(internal ? "null" : q(className(f.group())))
                    .append(", ").append(q(f.returnType())).append(", List.of(");
            for (int j = 0; j < f.params().size(); j++) {
                Param p = f.params().get(j);
                sb.append(j > 0 ? ", " : "").append("new Param(").append(q(p.cType())).append(", ").append(q(p.name())).append(')');
            }
            sb.append("), ").append(f.critical()).append(", ").append(f.testedBy() == null ? "null" : q(f.testedBy())).append(')')
                    .append(i + 1 < functions.size() ? ",\n" : ");\n\n");
        }
        sb.append("    /** Every constant, in list order. */\n");
        sb.append("    public static final List<Constant> CONSTANTS = List.of(\n");
        for (int i = 0; i < constants.size(); i++) {
            Constant c = constants.get(i);
            sb.append("            new Constant(").append(q(c.name())).append(", ").append(q(c.kind())).append(", ").append(q(c.group()))
                    .append(", ").append(c.value()).append(')').append(i + 1 < constants.size() ? ",\n" : ");\n\n");
        }
        sb.append("    /** The name of the constant of this kind with this value (\"PV_EINVAL\" for status 1), or \"unknown\". */\n");
        sb.append("    public static String constantName(String kind, int value) {\n");
        sb.append("        for (Constant c : CONSTANTS) {\n");
        sb.append("            if (c.kind().equals(kind) && c.value() == value) return c.name();\n        }\n");
        sb.append("        return \"unknown\";\n    }\n}\n");
        return sb.toString();
    }

    private static String q(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
