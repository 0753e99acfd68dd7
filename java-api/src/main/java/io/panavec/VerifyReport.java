package io.panavec;

import java.util.List;

/**
 * What {@link PanavecIndex#verify} checked, one line per file ("vectors.pvs: 1000 rows of 384 x F32, owner
 * index ..., metric INNER_PRODUCT; CRC-32C of every vector and id as recorded"). Every line is a check that
 * passed: a failed check throws instead. Immutable.
 */
public record VerifyReport(List<String> checked) {
    public VerifyReport {
        checked = List.copyOf(checked);
    }

    /** Progress of a verification: {@code done} of {@code total} units (rows) of the step named. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (step, done, total) -> { };

        /** Called from the verifying threads, one call at a time, with {@code done} increasing within a step. */
        void update(String step, long done, long total);
    }
}
