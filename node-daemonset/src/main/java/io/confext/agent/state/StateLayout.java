package io.confext.agent.state;

import java.nio.file.Path;

import io.confext.agent.host.HostFiles;

/**
 * Where the agent keeps things on the host. {@code hostDir} is the path as the host sees it (it ends up in unit
 * drop-ins); {@link #agentPath(String)} is the same path as the agent opens it (through {@code /proc/<pid>/root}).
 * staging/, bundles/ and quarantine/ share one file system so that every move between them is an atomic rename.
 */
public record StateLayout(HostFiles host, String hostDir) {
    public static final String DEFAULT_HOST_DIR = "/var/lib/confext-operator";
    /** systemd-confext's search path entry for host-scope bundles (man systemd-sysext). */
    public static final String HOST_CONFEXT_DIR = "/var/lib/confexts";

    public StateLayout {
        if (!hostDir.startsWith("/") || hostDir.endsWith("/")) {
            throw new IllegalArgumentException("state directory must be absolute without a trailing slash: " + hostDir);
        }
    }

    public Path agentPath(String hostPath) {
        return host.resolve(hostPath);
    }

    public Path stateFile() {
        return agentPath(hostDir + "/state.json");
    }

    public Path lockFile() {
        return agentPath(hostDir + "/agent.lock");
    }

    public Path staging() {
        return agentPath(hostDir + "/staging");
    }

    public Path quarantine() {
        return agentPath(hostDir + "/quarantine");
    }

    /** Host path of a bundle's versioned directory, with the trailing slash systemd needs to see a ".v/". */
    public String serviceVersionsHostPath(String bundle) {
        return hostDir + "/bundles/" + bundle + ".v/";
    }

    public String hostVersionsHostPath(String bundle) {
        return HOST_CONFEXT_DIR + "/" + bundle + ".v/";
    }
}
