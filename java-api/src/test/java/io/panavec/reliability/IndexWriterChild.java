package io.panavec.reliability;

import io.panavec.PanavecIndex;
import io.panavec.SearchRequest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process of {@link IndexLockTest}: opens the index in {@code args[0]} for writing, then opens and closes
 * it read-only in this same JVM (which drops every POSIX record lock this process holds on the store file),
 * prints "writing <pid>", and holds the index open until a line arrives on standard input (or it is killed).
 */
public final class IndexWriterChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (PanavecIndex writer = PanavecIndex.open(dir, 1)) {
            try (PanavecIndex reader = PanavecIndex.openReadOnly(dir)) {
                reader.search(SearchRequest.of(new float[writer.dimension()], 3));
            }
            System.out.println("writing " + ProcessHandle.current().pid());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            writer.add(1_000L, new float[writer.dimension()]); // still the writer
            System.out.println("added");
        }
        System.out.println("closed");
    }
}
