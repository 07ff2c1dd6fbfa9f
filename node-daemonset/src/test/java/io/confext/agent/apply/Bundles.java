package io.confext.agent.apply;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.FirstAttach;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import java.util.List;

/** Desired bundles for tests: the demo config at one version, optionally making the demo's reload fail. */
final class Bundles {
    private Bundles() {}

    static String demoConfig(String version, boolean failReload) {
        return "version=" + version + "\npadding=" + "x".repeat(64) + "\n" + (failReload ? "fail_reload=yes\n" : "");
    }

    static DesiredBundleContent demo(
            String name,
            String version,
            Scope scope,
            ReloadMode mode,
            boolean failReload,
            boolean rollback,
            String... units) {
        RevisionContent c = new RevisionContent(
                version,
                scope,
                List.of(units),
                ResolvedSource.ofFiles(
                        List.of(new ResolvedFile("demo/demo.conf", demoConfig(version, failReload), "0644"))),
                null,
                mode,
                0);
        return new DesiredBundleContent(
                name,
                name + "-" + version,
                "sha256:" + Integer.toHexString((version + failReload).hashCode()),
                rollback,
                c);
    }

    /** A bundle shipping {@code <name>/<name>.conf} only, so several bundles on one unit shadow nothing of each other. */
    static DesiredBundleContent own(String name, String version, ReloadMode mode, FirstAttach first, String unit) {
        RevisionContent c = new RevisionContent(
                version,
                Scope.Service,
                List.of(unit),
                ResolvedSource.ofFiles(
                        List.of(new ResolvedFile(name + "/" + name + ".conf", name + "=" + version + "\n", "0644"))),
                null,
                mode,
                0,
                null,
                first);
        return new DesiredBundleContent(
                name,
                name + "-" + version,
                "sha256:" + Integer.toHexString((name + version + mode + first).hashCode()),
                false,
                c);
    }

    static DesiredBundleContent service(String unit, String version, ReloadMode mode, boolean failReload) {
        return demo("demo", version, Scope.Service, mode, failReload, false, unit);
    }

    /**
     * A unit name no other test host uses. All nspawn hosts on this machine share one cgroup tree (each host's
     * systemd sees "/payload" as its root), so "demo.service" in two hosts is one cgroup and stopping it in one
     * host waits (90 s, then 'final-sigterm' timeout) for the other host's processes.
     */
    static String uniqueUnit() {
        return "demo-"
                + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 8) + ".service";
    }
}
