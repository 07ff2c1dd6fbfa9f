package io.confext.testbed;

/**
 * The cached root file systems a test host can boot from (built by {@code scripts/prepare-test-hosts}).
 * The two images exist because the agent has two code paths: refresh on reload (systemd >= 258) and the
 * restart fallback of hosts that have confext but not the reload refresh (254..257).
 */
public enum HostImage {
    /** Debian forky: systemd >= 262, refreshes a unit's confext stack on {@code systemctl reload}. */
    FORKY("forky", 262),
    /** Debian trixie: systemd 257, confext, but no refresh on reload. */
    TRIXIE("trixie", 257),
    /** FORKY plus containerd, runc and the CNI plugins: a host that runs a kubelet ({@code kube.KubeletNode}). */
    NODE("node", 262);

    private final String codename;
    private final int expectedSystemd;

    HostImage(String codename, int expectedSystemd) {
        this.codename = codename;
        this.expectedSystemd = expectedSystemd;
    }

    /** Debian codename (NODE: the tree's name); also the base name of the cached rootfs directory ({@code <codename>.rootfs}). */
    public String codename() {
        return codename;
    }

    /** Where {@code scripts/prepare-test-hosts} keeps this image's tree (it may not be built yet). */
    public java.nio.file.Path cachedTree() {
        return TestbedPaths.fromEnvironment().rootfs(this);
    }

    /** The systemd version the image is built for (FORKY: at least this; TRIXIE: exactly this major). */
    public int expectedSystemd() {
        return expectedSystemd;
    }
}
