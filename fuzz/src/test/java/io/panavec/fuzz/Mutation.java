package io.panavec.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * A fuzzed change to a valid file: up to 8 bytes overwritten at fuzzed offsets, then the file cut at a fuzzed
 * length or grown by fuzzed bytes. Starting from real files keeps the fuzzer past the magic numbers and into
 * the structure; the empty input leaves the file as it is.
 */
final class Mutation {
    private Mutation() {}

    static byte[] apply(byte[] valid, FuzzedDataProvider data) {
        byte[] b = valid.clone();
        int edits = data.consumeInt(0, 8);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = data.consumeInt(0, b.length - 1);
            b[at] = data.consumeByte();
        }
        int shape = data.consumeInt(0, 2);
        if (shape == 1 && b.length > 0) {
            b = java.util.Arrays.copyOf(b, data.consumeInt(0, b.length - 1));
        } else if (shape == 2) {
            byte[] tail = data.consumeBytes(256);
            byte[] grown = java.util.Arrays.copyOf(b, b.length + tail.length);
            System.arraycopy(tail, 0, grown, b.length, tail.length);
            b = grown;
        }
        return b;
    }
}
