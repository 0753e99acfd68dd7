package io.panavec.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code panavec <command> [options]}: builds, inspects, queries and benchmarks panavec indexes.
 * Exit codes: 0 ok, 2 usage error (printed with picocli's suggestions), 1 any other error (one line).
 */
@Command(name = "panavec", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Builds, inspects, queries and benchmarks panavec vector indexes.",
        subcommands = {BuildCommand.class, SearchCommand.class, InfoCommand.class, VerifyCommand.class, BenchCommand.class, TableCommand.class,
                CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class},
        footerHeading = "%n",
        footer = {"Exit codes: 0 ok, 2 usage error, 1 any other error. PANAVEC_DEBUG=1 prints stack traces.",
                "Shell completion: source <(panavec generate-completion)"})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** Parses and runs one command line; returns the exit code. Output goes to System.out / System.err as they are now. */
    static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(System.out, true));
        cl.setErr(new PrintWriter(System.err, true));
        // The completion script is generated on demand, not listed among the everyday commands.
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> error(e, cmd));
        return cl;
    }

    /** A usage error: picocli's message, then its "did you mean" suggestions or where to find help. Exit 2. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        // picocli checks required options before unknown ones: a typo'd required option would only say "missing".
        if (e instanceof CommandLine.MissingParameterException && cmd.getParseResult() != null
                && !cmd.getParseResult().unmatched().isEmpty()) {
            e = new CommandLine.UnmatchedArgumentException(cmd, cmd.getParseResult().unmatched());
        }
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Any other failure: one line (no stack trace unless PANAVEC_DEBUG is set). Exit 1. */
    private static int error(Exception e, CommandLine cmd) {
        PrintWriter err = cmd.getErr();
        err.println("panavec: error: " + describe(e).replace('\n', ' '));
        if (System.getenv("PANAVEC_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e.getMessage() == null && e.getCause() != null) {
            return describe(e.getCause());
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** The version Maven filtered into version.properties, and the runtime it runs on. */
    static final class Version implements CommandLine.IVersionProvider {
        static String number() {
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                Properties p = new Properties();
                if (in != null) {
                    p.load(in);
                }
                return p.getProperty("version", "unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }

        @Override
        public String[] getVersion() {
            return new String[] {"panavec " + number(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }
    }
}
