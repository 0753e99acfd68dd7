package io.panavec;

import java.nio.file.Path;
import java.util.Random;

/**
 * Child process of {@link UpsertKillTest}: creates an index (spec args[1]) in args[0] and applies the random
 * operations of seed args[2] ({@link UpsertModel#randomOp}), printing "done i" after op i, until killed
 * or args[3] ops are done.
 */
public final class UpsertLoop {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random r = new Random(Long.parseLong(args[2]));
        int ops = Integer.parseInt(args[3]);
        PanavecIndex index = UpsertModel.create(dir, args[1]);
        System.out.println("created");
        System.out.flush();
        for (int i = 0; i < ops; i++) {
            index = UpsertModel.apply(index, UpsertModel.randomOp(r));
            System.out.println("done " + i);
            System.out.flush();
        }
        index.close();
    }
}
