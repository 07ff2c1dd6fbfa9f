package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.host.OsRelease;
import io.confext.agent.systemd.Systemd;
import io.confext.api.v1alpha1.HostFacts;

/** Host facts from the manager's D-Bus properties and the host's os-release. */
public final class HostFactsReader {
    public static final int CONFEXT_SINCE = 254;

    private HostFactsReader() {}

    public static HostFacts read(Systemd systemd, HostFiles host, String agentVersion) {
        int version = parseVersion(systemd.version());
        OsRelease os = OsRelease.parse(host.readString("/etc/os-release")
                .or(() -> host.readString("/usr/lib/os-release"))
                .orElse(""));
        HostFacts f = new HostFacts();
        f.setSystemdVersion(version);
        f.setConfext(version >= CONFEXT_SINCE);
        f.setRefreshOnReload(version >= ActivationPlanner.REFRESH_ON_RELOAD_SINCE);
        f.setOsId(os.get("ID").orElse("linux"));
        f.setOsVersionId(os.get("VERSION_ID").orElse(null));
        f.setArchitecture(systemd.architecture());
        f.setAgentVersion(agentVersion);
        return f;
    }

    /** "262-1" -> 262, "257.13-1~deb13u1" -> 257: the leading number is systemd's major version. */
    static int parseVersion(String v) {
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("cannot read a systemd version from '" + v + "'");
        }
        return Integer.parseInt(v.substring(0, i));
    }
}
