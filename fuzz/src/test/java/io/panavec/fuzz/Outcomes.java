package io.panavec.fuzz;

import io.panavec.bindings.PanavecNativeException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a reader may do with bad input: succeed, or fail with an exception that says what is wrong. Anything
 * else (NullPointerException, IndexOutOfBoundsException, ArithmeticException, OutOfMemoryError,
 * StackOverflowError, a JVM crash) is a finding.
 */
final class Outcomes {
    private Outcomes() {}

    interface Body {
        void run() throws Exception;
    }

    static void expectCleanFailure(Body body) {
        try {
            body.run();
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException
                 | PanavecNativeException e) {
            // a clear refusal
        } catch (Exception e) {
            throw new AssertionError("unclear failure: " + e, e);
        }
    }
}
