package io.panavec.springai;

import io.panavec.documents.MetadataFilter;
import io.panavec.documents.MetadataFilter.Op;
import org.springframework.ai.vectorstore.filter.Filter;

import java.util.List;

/** Spring AI filter expressions as a panavec {@link MetadataFilter}. */
final class FilterExpressions {
    private FilterExpressions() {}

    static MetadataFilter from(Filter.Expression e) {
        return switch (e.type()) {
            case AND -> MetadataFilter.and(operand(e.left()), operand(e.right()));
            case OR -> MetadataFilter.or(operand(e.left()), operand(e.right()));
            case NOT -> MetadataFilter.not(operand(e.left()));
            case EQ -> MetadataFilter.eq(key(e), value(e));
            case NE -> MetadataFilter.ne(key(e), value(e));
            case GT -> MetadataFilter.compare(key(e), Op.GT, value(e));
            case GTE -> MetadataFilter.compare(key(e), Op.GE, value(e));
            case LT -> MetadataFilter.compare(key(e), Op.LT, value(e));
            case LTE -> MetadataFilter.compare(key(e), Op.LE, value(e));
            case IN -> MetadataFilter.in(key(e), values(e));
            case NIN -> MetadataFilter.notIn(key(e), values(e));
            case ISNULL -> MetadataFilter.not(MetadataFilter.exists(key(e)));
            case ISNOTNULL -> MetadataFilter.exists(key(e));
        };
    }

    private static MetadataFilter operand(Filter.Operand o) {
        return switch (o) {
            case Filter.Expression e -> from(e);
            case Filter.Group g -> from(g.content());
            default -> throw new IllegalArgumentException("expected an expression, found " + o);
        };
    }

    private static String key(Filter.Expression e) {
        if (!(e.left() instanceof Filter.Key k)) {
            throw new IllegalArgumentException(e.type() + " needs a key on its left, found " + e.left());
        }
        String key = k.key();
        // the text parser keeps the quotes of a quoted key ("my key" == 'x')
        if (key.length() >= 2 && (key.charAt(0) == '"' || key.charAt(0) == '\'') && key.charAt(key.length() - 1) == key.charAt(0)) {
            key = key.substring(1, key.length() - 1);
        }
        return key;
    }

    private static Object value(Filter.Expression e) {
        if (!(e.right() instanceof Filter.Value v) || v.value() == null) {
            throw new IllegalArgumentException(e.type() + " needs a value on its right, found " + e.right());
        }
        return v.value();
    }

    private static List<?> values(Filter.Expression e) {
        return value(e) instanceof List<?> l ? l : List.of(value(e));
    }
}
