package io.panavec.documents;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * How metadata is kept in panavec attributes: each key as an {@code any} attribute under an escaped name
 * (for filters), and the whole map with its exact Java types in one stored text field (to give it back as
 * it came: an Integer stays an Integer, a UUID a UUID). Stateless.
 */
final class MetadataCodec {
    private MetadataCodec() {}

    /**
     * The attribute of metadata key {@code key}: {@code m_} then the key with every character other than an
     * ASCII letter or digit written as {@code _<hex>_}, so any key is a valid attribute name, never a reserved
     * word, never one of the index's own fields, and two keys never share a name.
     */
    static String attribute(String key) {
        StringBuilder b = new StringBuilder(key.length() + 2).append("m_");
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) b.append(c);
            else b.append('_').append(Integer.toHexString(c)).append('_');
        }
        return b.toString();
    }

    /**
     * The value a filter compares: integral numbers as Long, a Float as the double of its shortest decimal
     * form (so 1.23f equals 1.23d, as LangChain4j's and Spring AI's numeric comparisons have it), a UUID as its
     * string, strings and booleans as they are.
     */
    static Object filterValue(Object v) {
        return switch (v) {
            case String s -> s;
            case UUID u -> u.toString();
            case Integer i -> (long) i;
            case Long l -> l;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Float f -> Double.parseDouble(Float.toString(f));
            case Double d -> d;
            case Boolean b -> b;
            case null -> throw new IllegalArgumentException("metadata values must not be null");
            default -> throw new IllegalArgumentException("unsupported metadata value " + v + " of " + v.getClass().getName()
                    + " (String, UUID, Integer, Long, Float, Double, Boolean)");
        };
    }

    /** The exact-typed form: per entry a type letter, then key and value each as {@code <length>:<chars>}. */
    static String encode(Map<String, ?> metadata) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, ?> e : metadata.entrySet()) {
            Object v = e.getValue();
            char tag = switch (v) {
                case String s -> 's';
                case UUID u -> 'u';
                case Integer i -> 'i';
                case Long l -> 'l';
                case Float f -> 'f';
                case Double d -> 'd';
                case Boolean x -> 'b';
                default -> {
                    filterValue(v); // the message for an unsupported or null value
                    throw new IllegalArgumentException("unsupported metadata value " + v);
                }
            };
            String value = v.toString(); // Float/Double.toString round-trip exactly
            b.append(tag).append(e.getKey().length()).append(':').append(e.getKey()).append(value.length()).append(':').append(value);
        }
        return b.toString();
    }

    static Map<String, Object> decode(String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        int[] at = {0};
        while (at[0] < text.length()) {
            char tag = text.charAt(at[0]++);
            String key = field(text, at);
            String value = field(text, at);
            m.put(key, switch (tag) {
                case 's' -> value;
                case 'u' -> UUID.fromString(value);
                case 'i' -> Integer.parseInt(value);
                case 'l' -> Long.parseLong(value);
                case 'f' -> Float.parseFloat(value);
                case 'd' -> Double.parseDouble(value);
                case 'b' -> Boolean.parseBoolean(value);
                default -> throw new IllegalStateException("corrupt metadata field: type '" + tag + "'");
            });
        }
        return m;
    }

    private static String field(String text, int[] at) {
        int colon = text.indexOf(':', at[0]);
        int n = Integer.parseInt(text, at[0], colon, 10);
        at[0] = colon + 1 + n;
        return text.substring(colon + 1, at[0]);
    }
}
