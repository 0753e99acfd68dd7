package io.panavec.cli;

import io.panavec.attributes.AttributeType;
import io.panavec.attributes.Schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads per-vector attributes from a TSV with a header line: line i+1 holds vector i's values. A first
 * column named {@code id} must equal the line's vector number and is not an attribute. Types come from
 * {@code --schema name:type,...} when given, else are inferred per column: int, long, double, else keyword.
 * An empty cell is no value.
 */
record AttributesTsv(Schema schema, List<Map<String, Object>> records) {

    static AttributesTsv read(Path file, String schemaText) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + " is empty: it needs a header line");
        }
        String[] header = lines.get(0).split("\t", -1);
        int firstAttr = header[0].equals("id") ? 1 : 0;
        List<String[]> cells = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isEmpty() && i == lines.size() - 1) break;
            String[] f = lines.get(i).split("\t", -1);
            if (f.length != header.length) {
                throw new IOException(file + " line " + (i + 1) + ": " + f.length + " cells, the header has " + header.length);
            }
            if (firstAttr == 1 && !f[0].equals(Integer.toString(i - 1))) {
                throw new IOException(file + " line " + (i + 1) + ": id " + f[0] + ", expected " + (i - 1) + " (rows must follow the vectors' order)");
            }
            cells.add(f);
        }
        Schema schema;
        if (schemaText != null) {
            schema = Schema.parse(schemaText);
        } else {
            Schema.Builder b = Schema.builder();
            for (int c = firstAttr; c < header.length; c++) b.add(header[c], infer(cells, c));
            schema = b.build();
        }
        Map<String, Integer> column = new HashMap<>();
        for (int c = firstAttr; c < header.length; c++) column.put(header[c], c);
        for (String name : schema.names()) {
            if (!column.containsKey(name)) {
                throw new IOException(file + " has no column '" + name + "' named in --schema");
            }
        }
        List<Map<String, Object>> records = new ArrayList<>(cells.size());
        for (int r = 0; r < cells.size(); r++) {
            Map<String, Object> m = new HashMap<>();
            for (String name : schema.names()) {
                String v = cells.get(r)[column.get(name)];
                if (v.isEmpty()) continue;
                try {
                    m.put(name, switch (schema.type(name)) {
                        case INT, LONG -> Long.parseLong(v);
                        case FLOAT, DOUBLE -> Double.parseDouble(v);
                        case BOOLEAN -> parseBoolean(v);
                        case KEYWORD -> v;
                        case KEYWORDS -> List.of(v.split(","));
                    });
                } catch (NumberFormatException e) {
                    throw new IOException(file + " line " + (r + 2) + ": '" + v + "' is not a " + schema.type(name).text() + " (" + name + ")");
                }
            }
            records.add(m);
        }
        return new AttributesTsv(schema, records);
    }

    private static boolean parseBoolean(String v) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new NumberFormatException(v);
        };
    }

    private static AttributeType infer(List<String[]> cells, int c) {
        boolean integral = true, numeric = true, fitsInt = true;
        for (String[] row : cells) {
            String v = row[c];
            if (v.isEmpty()) continue;
            if (integral) {
                try {
                    long l = Long.parseLong(v);
                    fitsInt &= l == (int) l;
                    continue;
                } catch (NumberFormatException e) {
                    integral = false;
                }
            }
            try {
                if (!Double.isFinite(Double.parseDouble(v))) numeric = false;
            } catch (NumberFormatException e) {
                numeric = false;
                break;
            }
        }
        return integral ? (fitsInt ? AttributeType.INT : AttributeType.LONG) : numeric ? AttributeType.DOUBLE : AttributeType.KEYWORD;
    }
}
