package io.panavec;

import java.nio.file.Path;
import java.util.List;

/**
 * Child process of {@link ChronicleFlagsTest}, started with only --enable-native-access: opens each index
 * directory given (read-write, then read-only), searches it unfiltered and filtered ("searched <dir> <hits>
 * <strategy> top <id>", "filtered <dir> <hits> <every hit matches>"), then asks for an id's row and prints the
 * error ("rowOf: <message>"); then tries an add on the first ("add: <message>").
 */
public final class WithoutChronicleFlags {
    public static void main(String[] args) throws Exception {
        for (String a : args) {
            for (boolean readOnly : new boolean[] {false, true}) {
                try (PanavecIndex index = readOnly ? PanavecIndex.openReadOnly(Path.of(a)) : PanavecIndex.open(Path.of(a), 1)) {
                    SearchResult r = index.search(SearchRequest.of(ChronicleFlagsTest.vector(3), 5));
                    System.out.println("searched " + a + " " + r.size() + " " + r.strategy() + " top " + r.get(0).id());
                    SearchResult f = index.search(SearchRequest.of(ChronicleFlagsTest.vector(3), 5).withFilter("bucket = 1"));
                    System.out.println("filtered " + a + " " + f.size() + " " + f.hits().stream().allMatch(h -> h.id() % 3 == 1));
                    try {
                        index.rowOf(3);
                        System.out.println("rowOf: no error");
                    } catch (IllegalStateException e) {
                        System.out.println("rowOf: " + e.getMessage());
                    }
                }
            }
        }
        try (PanavecIndex index = PanavecIndex.open(Path.of(args[0]), 1)) {
            long rows = index.rows();
            try {
                index.add(new long[] {1_000_000}, new float[][] {ChronicleFlagsTest.vector(7)});
                System.out.println("add: no error");
            } catch (IllegalStateException e) {
                System.out.println("add: " + e.getMessage());
            }
            System.out.println("rows after the refused add: " + index.rows() + " of " + rows);
        }
        System.out.println("done " + List.of(args).size());
    }
}
