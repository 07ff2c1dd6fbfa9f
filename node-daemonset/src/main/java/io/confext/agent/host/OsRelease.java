package io.confext.agent.host;

import io.confext.agent.verify.ReleaseFile;
import java.util.Map;
import java.util.Optional;

/**
 * os-release / extension-release fields, parsed by the one parser the agent has ({@link ReleaseFile}: shell-like
 * {@code KEY=value} lines as systemd reads them; backslash escapes inside double quotes only).
 */
public record OsRelease(Map<String, String> fields) {
    public OsRelease {
        fields = Map.copyOf(fields);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    public static OsRelease parse(String text) {
        return new OsRelease(ReleaseFile.parse(text));
    }
}
