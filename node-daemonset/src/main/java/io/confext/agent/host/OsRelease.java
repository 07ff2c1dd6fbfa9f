package io.confext.agent.host;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * os-release / extension-release parser: shell-like {@code KEY=value} lines, values optionally quoted,
 * backslash escapes inside quotes (man os-release: "no shell features beyond variable assignments").
 */
public record OsRelease(Map<String, String> fields) {
    public OsRelease {
        fields = Map.copyOf(fields);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    public static OsRelease parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            out.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
        }
        return new OsRelease(out);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            String inner = v.substring(1, v.length() - 1);
            StringBuilder sb = new StringBuilder(inner.length());
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\' && i + 1 < inner.length()) {
                    sb.append(inner.charAt(++i));
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
        return v;
    }
}
