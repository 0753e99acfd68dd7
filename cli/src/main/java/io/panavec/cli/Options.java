package io.panavec.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options; every option given must be read by the command, or it is a usage error. */
final class Options {
    private final Map<String, String> values;
    private final Set<String> used = new HashSet<>();

    private Options(Map<String, String> values) {
        this.values = values;
    }

    static Options parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new UsageException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (m.put(name, value) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        return new Options(m);
    }

    String string(String name, String fallback) {
        used.add(name);
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        used.add(name);
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("missing --" + name);
        }
        return v;
    }

    Path path(String name) {
        return Path.of(required(name));
    }

    Path optionalPath(String name) {
        String v = string(name, null);
        return v == null ? null : Path.of(v);
    }

    int integer(String name, int fallback, int min) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, was '" + v + "'");
        }
        if (n < min) {
            throw new UsageException("--" + name + " must be at least " + min + ", was " + n);
        }
        return n;
    }

    /** Fails on options no command asked for (a typo must not be silently ignored). */
    void requireAllUsed() {
        for (String k : values.keySet()) {
            if (!used.contains(k)) {
                throw new UsageException("unknown option --" + k);
            }
        }
    }
}
