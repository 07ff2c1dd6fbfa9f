package io.confext.kubectl.render;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows in columns, as kubectl prints them: upper-case headers, each column as wide as its widest cell plus three
 * spaces, the last column unpadded (it holds messages of any length).
 */
public final class Table {
    private static final String GAP = "   ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row needs " + headers.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>();
        for (String c : cells) {
            row.add(c == null || c.isEmpty() ? "-" : c);
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The header line and one line per row, each prefixed with {@code indent}. */
    public List<String> lines(String indent) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> row : rows) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        List<String> out = new ArrayList<>();
        out.add(indent + line(headers, width));
        for (List<String> row : rows) {
            out.add(indent + line(row, width));
        }
        return out;
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            b.append(c);
            if (i < cells.size() - 1) {
                b.append(" ".repeat(width[i] - c.length())).append(GAP);
            }
        }
        return b.toString();
    }
}
