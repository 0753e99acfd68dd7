package io.panavec.attributes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The typed attributes of an index: names in declaration order, each with an {@link AttributeType}.
 * Text form (stored in the manifest): {@code pos:keyword,gloss_chars:int}. Immutable and thread-safe.
 */
public final class Schema {
    /** Words of the filter language, which no attribute may be named (case-insensitive). */
    private static final java.util.Set<String> RESERVED_WORDS = java.util.Set.of("AND", "OR", "NOT", "IN", "EXISTS", "BETWEEN", "TRUE", "FALSE");

    /** Whether {@code word} is a word of the filter language (so not an attribute name). */
    public static boolean isReservedWord(String word) {
        return RESERVED_WORDS.contains(word.toUpperCase(java.util.Locale.ROOT));
    }

    private static final Schema EMPTY = new Schema(new LinkedHashMap<>());

    private final Map<String, AttributeType> types;
    private final List<String> names;

    private Schema(LinkedHashMap<String, AttributeType> types) {
        this.types = Collections.unmodifiableMap(types);
        this.names = List.copyOf(types.keySet());
    }

    public static Schema empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction; a name given twice or not an identifier is refused. */
    public static final class Builder {
        private final LinkedHashMap<String, AttributeType> types = new LinkedHashMap<>();

        private Builder() {}

        public Builder add(String name, AttributeType type) {
            Objects.requireNonNull(type, "type");
            requireIdentifier(name);
            if (types.putIfAbsent(name, type) != null) {
                throw new IllegalArgumentException("attribute '" + name + "' declared twice");
            }
            return this;
        }

        public Schema build() {
            return new Schema(new LinkedHashMap<>(types));
        }
    }

    static void requireIdentifier(String name) {
        if (name == null || name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
            throw new IllegalArgumentException("attribute name '" + name + "' must start with a letter or '_'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.')) {
                throw new IllegalArgumentException("attribute name '" + name + "' may hold only letters, digits, '_' and '.'");
            }
        }
        if (isReservedWord(name)) {
            throw new IllegalArgumentException("attribute name '" + name + "' is a reserved word of the filter language");
        }
    }

    /** Parses {@code name:type,name:type}; an empty string is the empty schema. */
    public static Schema parse(String text) {
        Builder b = builder();
        if (text.isBlank()) {
            return b.build();
        }
        for (String part : text.split(",")) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("schema entry '" + part + "' is not name:type");
            }
            b.add(part.substring(0, colon).trim(), AttributeType.parse(part.substring(colon + 1)));
        }
        return b.build();
    }

    public String text() {
        List<String> parts = new ArrayList<>();
        types.forEach((n, t) -> parts.add(n + ":" + t.text()));
        return String.join(",", parts);
    }

    /** Attribute names in declaration order. */
    public List<String> names() {
        return names;
    }

    public int size() {
        return names.size();
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    public boolean has(String name) {
        return types.containsKey(name);
    }

    /** The type of {@code name}; an unknown name is an error naming the known ones. */
    public AttributeType type(String name) {
        AttributeType t = types.get(name);
        if (t == null) {
            throw new IllegalArgumentException("unknown attribute '" + name + "'"
                    + (names.isEmpty() ? ": the index has no attributes" : " (the schema has " + String.join(", ", names) + ")"));
        }
        return t;
    }

    public int indexOf(String name) {
        type(name);
        return names.indexOf(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema s && s.text().equals(text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
