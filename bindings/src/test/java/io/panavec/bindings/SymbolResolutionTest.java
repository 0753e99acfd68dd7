package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The bindings against the library and the list, with the C type -> layout mapping written here
 * independently of the generator: every exported function of panavec.def is exported by the loaded
 * library (and the library exports nothing else), and its binding has the descriptor, handle type and
 * Java signature its C types call for (argument and return layouts, not only names and counts).
 */
class SymbolResolutionTest {
    private static final Path DEF = Path.of("..", "native", "include", "panavec.def");

    /** The layout each C type of the list must bind to: sizes and signedness of the x86-64 SysV ABI. */
    static MemoryLayout expectedLayout(String cType) {
        if (cType.endsWith("*")) return ValueLayout.ADDRESS;
        return switch (cType) {
            case "int32_t", "uint32_t" -> ValueLayout.JAVA_INT;
            case "int64_t", "uint64_t" -> ValueLayout.JAVA_LONG;
            case "float" -> ValueLayout.JAVA_FLOAT;
            case "double" -> ValueLayout.JAVA_DOUBLE;
            default -> throw new AssertionError("the test knows no layout for C type '" + cType + "'");
        };
    }

    static FunctionDescriptor expectedDescriptor(PanavecDef.Function f) {
        MemoryLayout[] args = f.params().stream().map(p -> expectedLayout(p.cType())).toArray(MemoryLayout[]::new);
        return f.returnType().equals("void") ? FunctionDescriptor.ofVoid(args)
                : FunctionDescriptor.of(expectedLayout(f.returnType()), args);
    }

    /** Layouts compared by carrier and size (the bindings' pointers carry a target layout; C's do not). */
    private static String shape(FunctionDescriptor d) {
        String args = d.argumentLayouts().stream().map(SymbolResolutionTest::shape).collect(Collectors.joining(", "));
        return d.returnLayout().map(SymbolResolutionTest::shape).orElse("void") + "(" + args + ")";
    }

    private static String shape(MemoryLayout l) {
        return ((ValueLayout) l).carrier().getSimpleName() + l.byteSize();
    }

    /** What is wrong with one function's binding (empty when it is right). */
    static List<String> problems(PanavecDef.Function f, FunctionDescriptor actual, MethodType handleType, Method wrapper) {
        List<String> p = new ArrayList<>();
        FunctionDescriptor want = expectedDescriptor(f);
        if (!shape(want).equals(shape(actual))) p.add(f.symbol() + ": descriptor " + shape(actual) + ", its C types need " + shape(want));
        if (!want.toMethodType().equals(handleType)) p.add(f.symbol() + ": handle type " + handleType + ", expected " + want.toMethodType());
        if (wrapper == null) {
            p.add(f.symbol() + ": " + f.bindingClass() + " has no public static method " + f.symbol());
        } else if (!MethodType.methodType(wrapper.getReturnType(), wrapper.getParameterTypes()).equals(want.toMethodType())) {
            p.add(f.symbol() + ": method " + wrapper + ", expected " + want.toMethodType());
        }
        return p;
    }

    private static Method wrapper(Class<?> c, PanavecDef.Function f) {
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals(f.symbol()) && Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers())) return m;
        }
        return null;
    }

    private static List<PanavecDef.Function> exported() {
        return PanavecDef.FUNCTIONS.stream().filter(f -> f.kind() != PanavecDef.Kind.ISA_KERNEL).toList();
    }

    @Test
    void everyBindingHasTheLayoutsOfItsCTypes() throws Exception {
        List<String> problems = new ArrayList<>();
        for (PanavecDef.Function f : exported()) {
            Class<?> c = Class.forName("io.panavec.bindings." + f.bindingClass());
            FunctionDescriptor d = (FunctionDescriptor) c.getMethod(f.symbol() + "$descriptor").invoke(null);
            java.lang.invoke.MethodHandle h = (java.lang.invoke.MethodHandle) c.getMethod(f.symbol() + "$handle").invoke(null);
            MemorySegment addr = (MemorySegment) c.getMethod(f.symbol() + "$address").invoke(null);
            assertFalse(addr.equals(MemorySegment.NULL), f.symbol());
            problems.addAll(problems(f, d, h.type(), wrapper(c, f)));
        }
        if (!problems.isEmpty()) fail(String.join("\n", problems));
    }

    @Test
    void theCheckCatchesAWrongLayout() throws Exception {
        PanavecDef.Function topk = exported().stream().filter(f -> f.symbol().equals("pv_f32_topk")).findFirst().orElseThrow();
        List<PanavecDef.Param> params = new ArrayList<>(topk.params());
        params.set(3, new PanavecDef.Param("int32_t", "n")); // int64_t n declared as int32_t
        PanavecDef.Function wrong = new PanavecDef.Function(topk.symbol(), topk.kind(), topk.group(), topk.bindingClass(),
                topk.returnType(), params, topk.critical(), null);
        List<String> p = problems(wrong, panavec_h.pv_f32_topk$descriptor(), panavec_h.pv_f32_topk$handle().type(),
                wrapper(panavec_h.class, topk));
        assertEquals(3, p.size(), p::toString);
        PanavecDef.Function voidReturn = new PanavecDef.Function(topk.symbol(), topk.kind(), topk.group(), topk.bindingClass(),
                "void", topk.params(), topk.critical(), null);
        assertFalse(problems(voidReturn, panavec_h.pv_f32_topk$descriptor(), panavec_h.pv_f32_topk$handle().type(),
                wrapper(panavec_h.class, topk)).isEmpty());
    }

    @Test
    void theLibraryExportsExactlyTheListedFunctions() throws IOException {
        Set<String> listed = new TreeSet<>(exported().stream().map(PanavecDef.Function::symbol).toList());
        TreeSet<String> exportedPv = new TreeSet<>(ElfFile.read(PackagedLibrary.loadedBytes()).definedFunctions);
        exportedPv.removeIf(s -> !s.startsWith("pv_"));
        assertEquals(listed, exportedPv, "pv_ functions exported by " + NativeLibrary.source() + " vs panavec.def");
        for (String s : listed) assertTrue(NativeLibrary.has(s), s);
    }

    /** A plain reading of the list's text (not the generator's parser): the same entries, in order. */
    @Test
    void generatedListMatchesTheDefText() throws IOException {
        String text = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL).matcher(Files.readString(DEF)).replaceAll(" ");
        Matcher m = Pattern.compile("(?m)^(PV_FN|PV_KERNEL|PV_ISA_KERNEL)\\((?:\\w+,\\s*)?(?:[^,]+,\\s*)?(\\w+),").matcher(text);
        List<String> names = new ArrayList<>();
        while (m.find()) names.add(m.group(1).equals("PV_KERNEL") ? "pv_" + m.group(2) : m.group(2));
        assertEquals(names, PanavecDef.FUNCTIONS.stream().map(PanavecDef.Function::symbol).toList());
        Matcher c = Pattern.compile("(?m)^PV_CONST\\(\\w+, \\w+, (\\w+), (-?\\d+)\\)").matcher(text);
        List<String> consts = new ArrayList<>();
        while (c.find()) consts.add(c.group(1) + "=" + c.group(2));
        assertEquals(consts, PanavecDef.CONSTANTS.stream().map(k -> k.name() + "=" + k.value()).toList());
    }

    @Test
    void abiVersionMatchesTheList() {
        assertEquals(panavec_h.PV_ABI_VERSION(), panavec_h.pv_abi_version());
        assertEquals("PV_EINVAL", PanavecNativeException.statusName(panavec_h.PV_EINVAL));
    }
}
