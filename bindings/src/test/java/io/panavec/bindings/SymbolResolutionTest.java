package io.panavec.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code PV_API} function declared in every header of native/include must be exported by the
 * loaded library and have a static method of the same name and arity in the header's
 * {@code <header>_h} class (panavec.h -> panavec_h, panavec_faiss.h -> panavec_faiss_h, ...).
 */
class SymbolResolutionTest {
    private static final Path INCLUDE = Path.of("..", "native", "include");
    private static final Pattern DECL = Pattern.compile("PV_API\\s+[\\w\\s*]+?\\b(pv_\\w+)\\s*\\(([^)]*)\\)\\s*;");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    record Decl(String header, String name, int arity) {}

    static List<Decl> declarations() throws IOException {
        List<Decl> decls = new ArrayList<>();
        try (Stream<Path> headers = Files.list(INCLUDE)) {
            for (Path h : headers.filter(p -> p.toString().endsWith(".h")).sorted().toList()) {
                String text = COMMENT.matcher(Files.readString(h)).replaceAll(" ");
                Matcher m = DECL.matcher(text);
                while (m.find()) {
                    String params = m.group(2).trim();
                    int arity = params.isEmpty() || params.equals("void") ? 0 : params.split(",").length;
                    decls.add(new Decl(h.getFileName().toString(), m.group(1), arity));
                }
            }
        }
        return decls;
    }

    @Test
    void parserFindsTheKernelHeader() throws IOException {
        List<Decl> decls = declarations();
        assertTrue(decls.stream().anyMatch(d -> d.name().equals("pv_f32_topk") && d.arity() == 11), decls::toString);
        assertTrue(decls.stream().anyMatch(d -> d.name().equals("pv_abi_version") && d.arity() == 0), decls::toString);
    }

    @Test
    void everyDeclaredFunctionResolvesAndIsBound() throws IOException {
        List<Decl> decls = declarations();
        assertFalse(decls.isEmpty(), "no PV_API declarations found under " + INCLUDE.toAbsolutePath());
        List<String> problems = new ArrayList<>();
        for (Decl d : decls) {
            if (!NativeLibrary.has(d.name())) {
                problems.add(d.header() + ": " + d.name() + " is not exported by " + NativeLibrary.path());
            }
            String cls = "io.panavec.bindings." + d.header().replace(".h", "_h");
            try {
                Class<?> c = Class.forName(cls, false, getClass().getClassLoader());
                boolean bound = Arrays.stream(c.getDeclaredMethods())
                        .anyMatch(m -> isBinding(m, d));
                if (!bound) {
                    problems.add(d.header() + ": " + cls + " has no public static " + d.name() + " with " + d.arity() + " parameters");
                }
            } catch (ClassNotFoundException e) {
                problems.add(d.header() + ": no bindings class " + cls);
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    private static boolean isBinding(Method m, Decl d) {
        return m.getName().equals(d.name()) && Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers())
                && m.getParameterCount() == d.arity();
    }

    @Test
    void abiVersionMatchesTheHeader() {
        assertEquals(panavec_h.PV_ABI_VERSION(), panavec_h.pv_abi_version());
    }
}
