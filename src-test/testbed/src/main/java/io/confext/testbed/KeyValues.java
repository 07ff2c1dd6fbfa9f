package io.confext.testbed;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** os-release style KEY=value lines (values optionally quoted), as in extension-release files. */
final class KeyValues {
    private KeyValues() {}

    static Optional<Map<String, String>> parse(String content) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String raw : content.split("\n")) {
            String line = raw.strip();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq <= 0) {
                continue;
            }
            String v = line.substring(eq + 1);
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            m.put(line.substring(0, eq), v);
        }
        return Optional.of(m);
    }
}
