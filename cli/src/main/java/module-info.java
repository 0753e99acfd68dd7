/** The {@code panavec} command line: uses only panavec's exported API (and the manifest's typed keys). */
module io.panavec.cli {
    requires io.panavec;
}
