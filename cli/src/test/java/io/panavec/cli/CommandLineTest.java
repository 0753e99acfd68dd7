package io.panavec.cli;

import org.junit.jupiter.api.Test;

import static io.panavec.cli.TestFiles.run;
import static org.junit.jupiter.api.Assertions.*;

/** What picocli users expect: help per command, a version, suggestions for typos, completion, and the exit codes. */
class CommandLineTest {
    @Test
    void helpListsEveryCommandAndExitsZero() {
        TestFiles.Run r = run("--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: panavec"), r.out());
        for (String c : new String[] {"build", "search", "info", "bench", "help"}) {
            assertTrue(r.out().matches("(?s).*\\n  " + c + " +\\S.*"), c + " listed:\n" + r.out());
        }
        assertTrue(r.out().contains("Exit codes: 0 ok, 2 usage error, 1 any other error"), r.out());
        assertEquals(r.out(), run("help").out(), "panavec help = panavec --help");
    }

    @Test
    void eachCommandHasItsOwnHelp() {
        TestFiles.Run b = run("build", "--help");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().startsWith("Usage: panavec build"), b.out());
        for (String o : new String[] {"--input=FILE", "--index=DIR", "--metric", "--spec", "--attributes", "--schema"}) {
            assertTrue(b.out().contains(o), o + " in\n" + b.out());
        }
        assertFalse(b.out().contains("--queries"), "build's help shows build's options only");
        assertTrue(run("help", "build").out().startsWith("Usage: panavec build"));
        TestFiles.Run s = run("search", "-h");
        assertTrue(s.out().startsWith("Usage: panavec search") && s.out().contains("--json") && s.out().contains("--groundtruth"), s.out());
        assertTrue(run("bench", "--help").out().contains("--ef=N[,N...]"));
    }

    @Test
    void versionNamesTheReleaseAndRuntime() {
        TestFiles.Run r = run("--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s)panavec \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\nJava \\d+.*"), r.out());
        assertEquals(r.out(), run("-V").out());
    }

    @Test
    void aTypoedCommandSuggestsTheRightOneAndExitsTwo() {
        TestFiles.Run r = run("biuld", "--input", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unmatched arguments from index 0: 'biuld'"), r.err());
        assertTrue(r.err().contains("Did you mean: panavec build?"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aTypoedOptionSuggestsTheRightOneAndExitsTwo() {
        TestFiles.Run r = run("search", "--index", "x", "--queries", "q", "--groundtrut", "gt.ivecs");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Unknown options: '--groundtrut'"), r.err());
        assertTrue(r.err().contains("Possible solutions: --groundtruth"), r.err());
        // A typo of a required option is reported as the typo, not as the option missing.
        TestFiles.Run req = run("info", "--indx", "x");
        assertEquals(2, req.code());
        assertTrue(req.err().contains("Possible solutions: --index"), req.err());
    }

    @Test
    void usageErrorsExitTwoAndPointToHelp() {
        TestFiles.Run none = run();
        assertEquals(2, none.code());
        assertTrue(none.err().contains("Missing required subcommand") && none.err().contains("Try 'panavec --help'"), none.err());
        TestFiles.Run missing = run("build", "--input", "a.fvecs");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("Missing required option: '--index=DIR'"), missing.err());
        assertTrue(missing.err().contains("Try 'panavec build --help' for more information."), missing.err());
        assertEquals(2, run("search", "--index", "x", "--queries", "q", "--k", "0").code());
        assertEquals(2, run("search", "--index", "x", "--queries", "q", "--k", "ten").code());
        assertEquals(2, run("bench", "--index", "x", "--queries", "q", "--ef", "8,16", "--nprobe", "1,2").code());
    }

    @Test
    void generatesABashCompletionScript() {
        TestFiles.Run r = run("generate-completion");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("complete -F _complete_panavec") || r.out().contains("_complete_panavec"), r.out().substring(0, 400));
        assertTrue(r.out().contains("--groundtruth"), "options of subcommands are completed");
        assertFalse(run("--help").out().contains("\n  generate-completion"), "hidden from the command list");
    }
}
