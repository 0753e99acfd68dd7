package io.panavec.langchain4j;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.ContainsString;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import io.panavec.documents.MetadataFilter;
import io.panavec.documents.MetadataFilter.Op;

import java.util.List;

/**
 * LangChain4j's metadata {@link Filter} model as a panavec {@link MetadataFilter}, with LangChain4j's
 * semantics for documents without the key: {@code IsNotEqualTo} and {@code IsNotIn} match them, every
 * other comparison does not. A filter class this version does not know is refused.
 */
final class MetadataFilters {
    private MetadataFilters() {}

    static MetadataFilter from(Filter f) {
        return switch (f) {
            case IsEqualTo e -> MetadataFilter.eq(e.key(), e.comparisonValue());
            case IsNotEqualTo e -> MetadataFilter.ne(e.key(), e.comparisonValue());
            case IsGreaterThan c -> MetadataFilter.compare(c.key(), Op.GT, c.comparisonValue());
            case IsGreaterThanOrEqualTo c -> MetadataFilter.compare(c.key(), Op.GE, c.comparisonValue());
            case IsLessThan c -> MetadataFilter.compare(c.key(), Op.LT, c.comparisonValue());
            case IsLessThanOrEqualTo c -> MetadataFilter.compare(c.key(), Op.LE, c.comparisonValue());
            case IsIn in -> MetadataFilter.in(in.key(), List.copyOf(in.comparisonValues()));
            case IsNotIn in -> MetadataFilter.notIn(in.key(), List.copyOf(in.comparisonValues()));
            case ContainsString c -> MetadataFilter.contains(c.key(), c.comparisonValue());
            case And a -> MetadataFilter.and(from(a.left()), from(a.right()));
            case Or o -> MetadataFilter.or(from(o.left()), from(o.right()));
            case Not n -> MetadataFilter.not(from(n.expression()));
            default -> throw new UnsupportedOperationException("unsupported filter " + f.getClass().getName() + ": " + f);
        };
    }
}
