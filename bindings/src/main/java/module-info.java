/** panavec's FFM bindings and native library loader: for panavec's own modules and kernel benchmarks only. */
module io.panavec.bindings {
    requires java.logging;
    exports io.panavec.bindings to io.panavec.store, io.panavec, io.panavec.bench;
}
