package io.panavec.cli;

import io.panavec.embedding.EmbeddingTable;
import io.panavec.embedding.KeyType;
import io.panavec.embedding.RowEncoding;
import io.panavec.embedding.TableFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code panavec table import|export|lookup}: embedding tables (key → vector) in and out of .npy / .fvecs + a vocabulary TSV. */
@Command(name = "table", mixinStandardHelpOptions = true,
        description = "Embedding tables: key -> vector look-ups for model serving.",
        subcommands = {TableCommand.Import.class, TableCommand.Export.class, TableCommand.Lookup.class})
final class TableCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand (import, export or lookup)");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Creates a table from vectors (.npy, .fvecs, .bvecs) and a vocabulary TSV (line i: the key of vector i).")
    static final class Import implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--vectors", required = true, paramLabel = "FILE", description = "The vectors, one per key.")
        Path vectors;
        @Option(names = "--vocab", required = true, paramLabel = "TSV", description = "The keys: line i holds the key of vector i (first column).")
        Path vocab;
        @Option(names = "--column", paramLabel = "NAME", description = "Take the keys from this column of a TSV whose first line names its columns.")
        String column;
        @Option(names = "--table", required = true, paramLabel = "DIR", description = "The new table's directory (new or empty).")
        Path table;
        @Option(names = "--encoding", defaultValue = "f32", paramLabel = "ENC",
                description = "Row encoding: f32, f16, int8, int4, lvq8, lvq4 (default: ${DEFAULT-VALUE}).")
        String encoding;
        @Option(names = "--keys", defaultValue = "long", paramLabel = "TYPE", description = "Key type: long or string (default: ${DEFAULT-VALUE}).")
        String keys;

        @Override
        public Integer call() throws IOException {
            io.panavec.cli.input.InputFiles.requireFile(vectors);
            io.panavec.cli.input.InputFiles.requireFile(vocab);
            KeyType type = switch (keys.toLowerCase(Locale.ROOT)) {
                case "long" -> KeyType.LONG;
                case "string" -> KeyType.STRING;
                default -> throw new UsageException(spec, "--keys must be long or string, got '" + keys + "'");
            };
            RowEncoding enc;
            try {
                enc = RowEncoding.parse(encoding);
            } catch (IllegalArgumentException e) {
                throw new UsageException(spec, "--encoding: " + e.getMessage());
            }
            long start = System.nanoTime();
            try (EmbeddingTable t = TableFiles.importTable(vectors, vocab, column, EmbeddingTable.builder(table).encoding(enc), type)) {
                System.out.printf(Locale.ROOT, "%,d keys (%,d rows) of dimension %d as %s, %d bytes per row, in %.1f s%n", t.size(), t.storedRows(),
                        t.dimension(), t.codec().spec(), t.codec().rowBytes(), (System.nanoTime() - start) / 1e9);
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes every key's vector (decoded) to .npy or .fvecs and its key to the same line of a TSV.")
    static final class Export implements Callable<Integer> {
        @Option(names = "--table", required = true, paramLabel = "DIR", description = "The table directory.")
        Path table;
        @Option(names = "--vectors", required = true, paramLabel = "FILE", description = "Output vectors: .npy or .fvecs.")
        Path vectors;
        @Option(names = "--vocab", required = true, paramLabel = "TSV", description = "Output keys, one per line.")
        Path vocab;

        @Override
        public Integer call() throws IOException {
            io.panavec.cli.input.InputFiles.requireDirectory(table);
            try (EmbeddingTable t = EmbeddingTable.openReadOnly(table)) { // reads only: beside a writer, nothing written
                long n = TableFiles.exportTable(t, vectors, vocab);
                System.out.printf(Locale.ROOT, "%,d keys of dimension %d written to %s and %s%n", n, t.dimension(), vectors, vocab);
            }
            return 0;
        }
    }

    @Command(name = "lookup", mixinStandardHelpOptions = true,
            description = "Prints the vectors of the given keys (unknown keys: the table's out-of-vocabulary vector), one line each.")
    static final class Lookup implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--table", required = true, paramLabel = "DIR", description = "The table directory.")
        Path table;
        @Parameters(arity = "1..*", paramLabel = "KEY", description = "Keys to look up.")
        List<String> keys;

        @Override
        public Integer call() throws IOException {
            io.panavec.cli.input.InputFiles.requireDirectory(table);
            try (EmbeddingTable t = EmbeddingTable.openReadOnly(table)) { // reads only: beside a writer, nothing written
                float[][] vs;
                boolean[] known = new boolean[keys.size()];
                if (t.keyType() == KeyType.LONG) {
                    long[] k = new long[keys.size()];
                    for (int i = 0; i < k.length; i++) {
                        try {
                            k[i] = Long.parseLong(keys.get(i));
                        } catch (NumberFormatException e) {
                            throw new UsageException(spec, "this table has long keys: '" + keys.get(i) + "' is not one");
                        }
                        known[i] = t.contains(k[i]);
                    }
                    vs = t.lookup(k);
                } else {
                    String[] k = keys.toArray(String[]::new);
                    for (int i = 0; i < k.length; i++) known[i] = t.contains(k[i]);
                    vs = t.lookup(k);
                }
                for (int i = 0; i < vs.length; i++) {
                    StringBuilder line = new StringBuilder(keys.get(i)).append(known[i] ? "\t" : "\t(unknown)\t");
                    for (int j = 0; j < vs[i].length; j++) line.append(j == 0 ? "" : " ").append(vs[i][j]);
                    System.out.println(line);
                }
            }
            return 0;
        }
    }
}
