/** The {@code panavec} command line: uses only panavec's exported API (and the manifest's typed keys). */
module io.panavec.cli {
    requires io.panavec;
    requires info.picocli;
    requires me.tongfei.progressbar;
    requires io.jhdf;
    requires HdrHistogram;
    requires org.jfree.jfreechart;
    requires com.fasterxml.jackson.databind;
    requires java.desktop;

    opens io.panavec.cli to info.picocli; // picocli fills the commands' option fields reflectively
}
