package io.confext.testsupport.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A page of Prometheus' text exposition format (what {@code GET /q/metrics} answers), parsed into samples, so tests
 * assert numbers rather than substrings. Comments ({@code # HELP}, {@code # TYPE}) are skipped; a line that is no
 * sample fails the parse, naming the line.
 */
public record PrometheusText(List<Sample> samples) {

    /** One line: {@code name{label="value",...} value [timestamp]}. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public Sample {
            labels = Map.copyOf(labels);
        }

        boolean has(String... pairs) {
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
                    return false;
                }
            }
            return true;
        }
    }

    public PrometheusText {
        samples = List.copyOf(samples);
    }

    public static PrometheusText parse(String page) {
        List<Sample> out = new ArrayList<>();
        int number = 0;
        for (String line : page.split("\n")) {
            number++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                out.add(sample(l));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "line " + number + " is no Prometheus sample (" + e.getMessage() + "): " + line, e);
            }
        }
        return new PrometheusText(out);
    }

    /** The samples named {@code name} whose labels include the given {@code label, value} pairs. */
    public List<Sample> find(String name, String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("label pairs come in twos: " + List.of(labelPairs));
        }
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.has(labelPairs))
                .toList();
    }

    /** The value of the one sample named {@code name} with those labels; an AssertionError (listing the page's names) if none or several. */
    public double value(String name, String... labelPairs) {
        List<Sample> found = find(name, labelPairs);
        if (found.size() != 1) {
            throw new AssertionError("expected one sample " + name + " with " + List.of(labelPairs) + ", found " + found
                    + "; samples of that name: " + find(name));
        }
        return found.get(0).value();
    }

    /** The sum over the samples named {@code name} with those labels; 0 when there is none (a counter not yet counted). */
    public double sum(String name, String... labelPairs) {
        return find(name, labelPairs).stream().mapToDouble(Sample::value).sum();
    }

    /** Whether any sample's name starts with {@code prefix}. */
    public boolean hasAny(String prefix) {
        return samples.stream().anyMatch(s -> s.name().startsWith(prefix));
    }

    private static Sample sample(String l) {
        int brace = l.indexOf('{');
        int space = l.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = l.substring(0, brace);
            rest = labels(l, brace + 1, labels);
        } else {
            if (space < 0) {
                throw new IllegalArgumentException("no value");
            }
            name = l.substring(0, space);
            rest = space;
        }
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
        String[] fields = l.substring(rest).strip().split("\\s+");
        if (fields.length < 1 || fields.length > 2 || fields[0].isEmpty()) {
            throw new IllegalArgumentException("expected a value and an optional timestamp");
        }
        return new Sample(name, labels, value(fields[0]));
    }

    /** Reads {@code k="v",...}} from {@code at}; returns the index after the closing brace. */
    private static int labels(String l, int at, Map<String, String> into) {
        int i = at;
        while (true) {
            while (i < l.length() && (l.charAt(i) == ' ' || l.charAt(i) == ',')) {
                i++;
            }
            if (i >= l.length()) {
                throw new IllegalArgumentException("unclosed label set");
            }
            if (l.charAt(i) == '}') {
                return i + 1;
            }
            int eq = l.indexOf('=', i);
            if (eq < 0 || eq + 1 >= l.length() || l.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("expected label=\"value\" at " + i);
            }
            String key = l.substring(i, eq).strip();
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; j < l.length() && l.charAt(j) != '"'; j++) {
                char c = l.charAt(j);
                if (c == '\\' && j + 1 < l.length()) {
                    char n = l.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                } else {
                    v.append(c);
                }
            }
            if (j >= l.length()) {
                throw new IllegalArgumentException("unclosed value of label " + key);
            }
            into.put(key, v.toString());
            i = j + 1;
        }
    }

    private static double value(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }
}
