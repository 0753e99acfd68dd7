package io.panavec.filter;

import io.panavec.attributes.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive-descent parser of the filter language:
 * <pre>
 *   filter    := or
 *   or        := and ( OR and )*
 *   and       := unary ( AND unary )*
 *   unary     := NOT unary | '(' or ')' | EXISTS name | predicate
 *   predicate := name ( ('=' | '==' | '!=' | '&lt;&gt;' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') literal
 *                     | [NOT] IN '(' literal ( ',' literal )* ')'
 *                     | BETWEEN number AND number )
 *   literal   := 'text' (quote doubled inside) | "text" | number | TRUE | FALSE
 * </pre>
 * Keywords are case-insensitive. Errors are {@link FilterParseException}s with the offending position.
 * Parentheses and NOTs nest at most {@value #MAX_NESTING} deep (each level adds at most two nodes, so the
 * tree stays within {@link Filter#MAX_DEPTH}): the descent recurses, and thousands of levels would
 * overflow the stack.
 * Not thread-safe (one parser per string); {@link Filter#parse} makes a new one.
 */
final class FilterParser {
    static final int MAX_NESTING = (Filter.MAX_DEPTH - 2) / 2;

    private final String text;
    private int pos;
    private int nesting;

    FilterParser(String text) {
        if (text == null) {
            throw new IllegalArgumentException("filter text is null");
        }
        this.text = text;
    }

    static boolean isKeyword(String word) {
        return Schema.isReservedWord(word);
    }

    Filter parse() {
        skipSpace();
        if (pos == text.length()) {
            throw error(pos, "empty filter");
        }
        Filter f = or();
        skipSpace();
        if (pos < text.length()) {
            throw error(pos, "expected AND, OR or the end of the filter, found " + describeHere());
        }
        return f;
    }

    private Filter or() {
        List<Filter> parts = new ArrayList<>();
        parts.add(and());
        while (acceptWord("OR")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.Or(parts);
    }

    private Filter and() {
        List<Filter> parts = new ArrayList<>();
        parts.add(unary());
        while (acceptWord("AND")) {
            parts.add(unary());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    private Filter unary() {
        int at = skipSpace();
        if (acceptWord("NOT")) {
            enter(at);
            Filter f = new Filter.Not(unary());
            nesting--;
            return f;
        }
        if (accept("(")) {
            enter(at);
            Filter f = or();
            expect(")", "')' to close the '('");
            nesting--;
            return f;
        }
        if (acceptWord("EXISTS")) {
            return new Filter.Exists(name());
        }
        return predicate();
    }

    private Filter predicate() {
        int at = skipSpace();
        String name = name();
        skipSpace();
        int opAt = pos;
        if (acceptWord("NOT")) {
            if (!acceptWord("IN")) {
                throw error(pos, "expected IN after NOT, found " + describeHere());
            }
            return new Filter.Not(in(name));
        }
        if (acceptWord("IN")) {
            return in(name);
        }
        if (acceptWord("BETWEEN")) {
            int lowAt = skipSpace();
            Object low = number(literal(), lowAt, name);
            if (!acceptWord("AND")) {
                throw error(pos, "expected AND in BETWEEN ... AND ..., found " + describeHere());
            }
            int highAt = skipSpace();
            Object high = number(literal(), highAt, name);
            return new Filter.Range(name, low, true, high, true);
        }
        String op = operator();
        if (op == null) {
            throw error(opAt, "expected a comparison (=, !=, <, <=, >, >=, IN, BETWEEN) after '" + name + "', found " + describeHere());
        }
        int valueAt = skipSpace();
        Object value = literal();
        return switch (op) {
            case "=", "==" -> new Filter.Eq(name, value);
            case "!=", "<>" -> Filter.ne(name, value);
            case "<" -> new Filter.Range(name, null, false, number(value, valueAt, name), false);
            case "<=" -> new Filter.Range(name, null, false, number(value, valueAt, name), true);
            case ">" -> new Filter.Range(name, number(value, valueAt, name), false, null, false);
            case ">=" -> new Filter.Range(name, number(value, valueAt, name), true, null, false);
            default -> throw error(at, "unknown operator " + op);
        };
    }

    private Filter in(String name) {
        expect("(", "'(' after IN");
        List<Object> values = new ArrayList<>();
        do {
            skipSpace();
            values.add(literal());
        } while (accept(","));
        expect(")", "',' or ')' in the IN list");
        return new Filter.In(name, values);
    }

    private Object number(Object v, int at, String name) {
        if (!(v instanceof Long || v instanceof Double)) {
            throw error(at, "a range on '" + name + "' needs a number, found " + FilterValues.text(v));
        }
        return v;
    }

    private String operator() {
        for (String op : new String[] {"==", "!=", "<>", "<=", ">=", "=", "<", ">"}) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return op;
            }
        }
        return null;
    }

    private String name() {
        int at = skipSpace();
        if (at >= text.length() || !(Character.isLetter(text.charAt(at)) || text.charAt(at) == '_')) {
            throw error(at, "expected an attribute name, found " + describeHere());
        }
        int end = at;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_' || text.charAt(end) == '.')) {
            end++;
        }
        String word = text.substring(at, end);
        if (isKeyword(word)) {
            throw error(at, "expected an attribute name, found the keyword " + word.toUpperCase(Locale.ROOT));
        }
        pos = end;
        return word;
    }

    private Object literal() {
        int at = skipSpace();
        if (at >= text.length()) {
            throw error(at, "expected a value, found the end of the filter");
        }
        char c = text.charAt(at);
        if (c == '\'' || c == '"') {
            StringBuilder sb = new StringBuilder();
            int i = at + 1;
            while (true) {
                if (i >= text.length()) {
                    throw error(at, "unterminated string: no closing " + c);
                }
                char d = text.charAt(i);
                if (d == c) {
                    if (i + 1 < text.length() && text.charAt(i + 1) == c) { // doubled quote
                        sb.append(c);
                        i += 2;
                        continue;
                    }
                    pos = i + 1;
                    return sb.toString();
                }
                sb.append(d);
                i++;
            }
        }
        if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
            int end = at + 1;
            while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '.'
                    || ((text.charAt(end) == '-' || text.charAt(end) == '+') && (text.charAt(end - 1) == 'e' || text.charAt(end - 1) == 'E')))) {
                end++;
            }
            String num = text.substring(at, end);
            pos = end;
            try {
                if (num.matches("[-+]?\\d+")) {
                    return Long.parseLong(num);
                }
                if (num.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                    double d = Double.parseDouble(num);
                    if (Double.isFinite(d)) {
                        return d;
                    }
                }
            } catch (NumberFormatException e) {
                // fall through to the error: e.g. an integer beyond long range
            }
            throw error(at, "'" + num + "' is not a number");
        }
        if (acceptWord("TRUE")) {
            return Boolean.TRUE;
        }
        if (acceptWord("FALSE")) {
            return Boolean.FALSE;
        }
        throw error(at, "expected a value ('text', a number, TRUE or FALSE), found " + describeHere());
    }

    private boolean acceptWord(String word) {
        int at = skipSpace();
        int end = at + word.length();
        if (end <= text.length() && text.regionMatches(true, at, word, 0, word.length())
                && (end == text.length() || !(Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_' || text.charAt(end) == '.'))) {
            pos = end;
            return true;
        }
        return false;
    }

    private boolean accept(String s) {
        int at = skipSpace();
        if (text.startsWith(s, at)) {
            pos = at + s.length();
            return true;
        }
        return false;
    }

    private void expect(String s, String what) {
        if (!accept(s)) {
            throw error(pos, "expected " + what + ", found " + describeHere());
        }
    }

    private int skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
        return pos;
    }

    private String describeHere() {
        skipSpace();
        if (pos >= text.length()) {
            return "the end of the filter";
        }
        int end = pos + 1;
        while (end < text.length() && end - pos < 12 && !Character.isWhitespace(text.charAt(end))) end++;
        return "'" + text.substring(pos, end) + "'";
    }

    private void enter(int at) {
        if (++nesting > MAX_NESTING) {
            throw error(at, "parentheses and NOT nested deeper than " + MAX_NESTING + " levels");
        }
    }

    private FilterParseException error(int at, String problem) {
        return new FilterParseException(text, Math.min(at, text.length()), problem);
    }
}
