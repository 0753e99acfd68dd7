package io.panavec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** A command line that parses but does not make sense (an option without the one it needs...): exit code 2. */
final class UsageException extends CommandLine.ParameterException {
    private static final long serialVersionUID = 1L;

    UsageException(CommandSpec spec, String message) {
        super(spec.commandLine(), message);
    }
}
