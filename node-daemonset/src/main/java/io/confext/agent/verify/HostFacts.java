package io.confext.agent.verify;

import java.util.Map;

/**
 * What the extension-release check compares against: the host's os-release fields, its
 * architecture (systemd name) and its systemd version (ID_LIKE matching exists from 258 on).
 */
public record HostFacts(Map<String, String> osRelease, String architecture, int systemdVersion) {
    public HostFacts {
        osRelease = Map.copyOf(osRelease);
    }

    public String id() {
        return osRelease.getOrDefault("ID", "");
    }

    /** "debian 13" style, for messages. */
    public String describe() {
        String v = osRelease.getOrDefault("VERSION_ID", "");
        String level = osRelease.getOrDefault("CONFEXT_LEVEL", "");
        return (id().isEmpty() ? "(no ID)" : id()) + (v.isEmpty() ? "" : " " + v) + (level.isEmpty() ? "" : " CONFEXT_LEVEL=" + level)
                + " (" + architecture + ")";
    }
}
