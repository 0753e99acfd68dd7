/**
 * panavec's public API: {@code io.panavec} (indexes, requests, results), {@code filter} (the filter
 * language), {@code attributes} (schemas and attribute storage), {@code io} (vector files) and, through
 * {@code io.panavec.store}, the store. The engines, native structures, internals and the persistence
 * layer ({@code persist}) are not exported; tools read what a directory holds through {@code IndexInfo}.
 */
module io.panavec {
    requires transitive io.panavec.store;
    requires io.panavec.bindings;
    requires transitive roaringbitmap;
    requires chronicle.map;

    exports io.panavec;
    exports io.panavec.attributes;
    exports io.panavec.filter;
    exports io.panavec.io;
    exports io.panavec.multivector;
    exports io.panavec.embedding;
}
