package io.confext.agent.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the extension-release check compares against: the host's os-release fields, its
 * architecture (systemd name) and its systemd version (ID_LIKE matching exists from 258 on).
 */
public record HostRelease(Map<String, String> osRelease, String architecture, int systemdVersion) {
    public HostRelease {
        osRelease = Map.copyOf(osRelease);
    }

    /** Reads the host's {@code /etc/os-release}, else {@code /usr/lib/os-release}, under {@code root} (e.g. {@code /proc/1/root}). */
    public static HostRelease read(Path root, String architecture, int systemdVersion) throws IOException {
        Path etc = root.resolve("etc/os-release");
        Path file = Files.exists(etc) ? etc : root.resolve("usr/lib/os-release");
        return new HostRelease(ReleaseFile.parse(Files.readString(file)), architecture, systemdVersion);
    }

    public String id() {
        return osRelease.getOrDefault("ID", "");
    }

    /** "debian 13" style, for messages. */
    public String describe() {
        String v = osRelease.getOrDefault("VERSION_ID", "");
        String level = osRelease.getOrDefault("CONFEXT_LEVEL", "");
        return (id().isEmpty() ? "(no ID)" : id()) + (v.isEmpty() ? "" : " " + v)
                + (level.isEmpty() ? "" : " CONFEXT_LEVEL=" + level) + " (" + architecture + ")";
    }
}
