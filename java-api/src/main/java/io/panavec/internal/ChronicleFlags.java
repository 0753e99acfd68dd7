package io.panavec.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM flags Chronicle Map (the id map) needs on JDK 25, checked before it is first touched, so that a
 * JVM started without them gets a message naming the flags to add instead of Chronicle's
 * {@code InaccessibleObjectException} from deep inside its class initialisation. Everything else in
 * panavec (store, exact and graph search, quantized search) runs with only
 * {@code --enable-native-access=ALL-UNNAMED}. Stateless and thread-safe.
 */
final class ChronicleFlags {
    private ChronicleFlags() {}

    private record Need(String flag, String module, String pkg, boolean open) {}

    /** Keep in step with scripts/jvm.options and the root pom's panavec.jvm.flags. */
    private static final List<Need> NEEDS = List.of(
            new Need("--add-opens=java.base/java.lang=ALL-UNNAMED", "java.base", "java.lang", true),
            new Need("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "java.base", "java.lang.reflect", true),
            new Need("--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED", "jdk.compiler", "com.sun.tools.javac.file", false),
            new Need("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "java.base", "sun.nio.ch", false),
            new Need("--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "java.base", "jdk.internal.ref", false));

    /** The flags this JVM lacks for Chronicle Map (empty when it has them all). */
    static List<String> missing() {
        Module chronicle = chronicleModule();
        List<String> missing = new ArrayList<>();
        for (Need n : NEEDS) {
            Optional<Module> m = ModuleLayer.boot().findModule(n.module());
            if (m.isEmpty()) {
                missing.add(n.flag() + " (module " + n.module() + " is not in this runtime: Chronicle Map needs a full JDK)");
            } else if (n.open() ? !m.get().isOpen(n.pkg(), chronicle) : !m.get().isExported(n.pkg(), chronicle)) {
                missing.add(n.flag());
            }
        }
        return missing;
    }

    /** Throws {@link IllegalStateException} naming the missing flags when {@code what} cannot run in this JVM. */
    static void require(String what) {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(what + " uses Chronicle Map, which needs these JVM flags on JDK 25: "
                    + String.join(" ", missing) + " (scripts/jvm.options lists every flag panavec uses). Searches, the"
                    + " store, and opening and searching a committed index run without them; id lookups, adds and deletes need them.");
        }
    }

    /** Chronicle Map's module (the class path's unnamed module, unless it runs as a named one), not initialised. */
    private static Module chronicleModule() {
        try {
            return Class.forName("net.openhft.chronicle.map.ChronicleMap", false, ChronicleFlags.class.getClassLoader()).getModule();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Chronicle Map (net.openhft:chronicle-map) is not on the class path", e);
        }
    }
}
