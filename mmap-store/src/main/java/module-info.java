/** The memory-mapped vector store. */
module io.panavec.store {
    requires io.panavec.bindings;
    exports io.panavec.store;
}
