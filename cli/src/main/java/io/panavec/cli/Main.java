package io.panavec.cli;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@code panavec <command> [options]}: builds, inspects and queries panavec indexes.
 * Errors print as one line and exit non-zero: 2 for usage, 1 for everything else.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            System.out.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0].toLowerCase(Locale.ROOT);
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            Options opts = Options.parse(rest);
            switch (command) {
                case "build" -> BuildCommand.run(opts);
                case "search" -> SearchCommand.run(opts);
                case "info" -> InfoCommand.run(opts);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            }
            return 0;
        } catch (UsageException e) {
            System.err.println("panavec: " + e.getMessage() + " (panavec --help lists the commands)");
            return 2;
        } catch (Exception | LinkageError e) {
            String msg = e.getMessage() != null ? e.getMessage() : e.toString();
            System.err.println("panavec: error: " + msg.replace('\n', ' '));
            if (System.getenv("PANAVEC_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
        }
    }

    static String usage() {
        return """
                usage: panavec <command> [options]

                commands:
                  build   --input FILE --index DIR [--metric ip|l2|cosine] [--spec flat|hnsw:M=16,efc=100|faiss:<factory>]
                          [--type f32|f16] [--threads N] [--attributes attrs.tsv [--schema name:type,...]]
                          [--train-queries FILE]  (query sample for quant=leanvec-ood.<d>.lvq<B>)
                          Quantized: --spec flat:quant=sq8 or hnsw:M=16,efc=100,quant=lvq4x8 (sq4|sq8|lvq4|lvq8|
                          lvq4x4|lvq4x8|lvq8x8|binary|leanvec-id.<d>.lvq<B>|leanvec-ood.<d>.lvq<B>).
                          Creates an index directory from .fvecs, .bvecs or .npy (float32/float16).
                          --attributes: a TSV with a header, line i+1 = vector i (types inferred unless --schema).
                  search  --index DIR --queries FILE [--k 10] [--ef 64] [--nprobe 16] [--groundtruth FILE.ivecs] [--threads 1]
                          [--rerank N]  (candidates a quantized index re-ranks exactly; default max(2k, 50))
                          [--texts texts.tsv --query-texts queries.tsv --show 3] [--filter "pos = 'n' AND gloss_chars < 40"]
                          Runs the queries; prints recall@k against the ground truth, queries/s and,
                          with --texts, the nearest texts for the first --show queries.
                  info    --index DIR
                          Prints what an index directory holds and checks it.

                Set PANAVEC_DEBUG=1 for stack traces.""";
    }
}
