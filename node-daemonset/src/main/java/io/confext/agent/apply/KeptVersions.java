package io.confext.agent.apply;

import io.confext.agent.state.StateLayout;
import io.confext.agent.verify.Architecture;
import io.confext.agent.verify.TrustedCertificates;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.Scope;

/** Where a bundle's versions are kept on the host (its {@code .v/} directory by scope), and a kept version read back. */
final class KeptVersions {
    private final StateLayout layout;
    private final HostFacts facts;
    private final HostExtensionDirs hostDirs;

    KeptVersions(StateLayout layout, HostFacts facts, HostExtensionDirs hostDirs) {
        this.layout = layout;
        this.facts = facts;
        this.hostDirs = hostDirs;
    }

    /** Host scope: under the name the host has it by (see {@link HostStackOrder}). */
    VersionsDirectory versionsOf(String bundle, Scope scope) {
        if (scope == Scope.Host) {
            return hostDirs.current(bundle);
        }
        return new VersionsDirectory(layout.agentPath(layout.serviceVersionsHostPath(bundle)), bundle);
    }

    /** A kept version read back from its .v/ directory: a directory tree or a verified image. */
    StagedVersion loadKept(VersionsDirectory dir, String version) {
        if (dir.isImage(version)) {
            Architecture arch = Architecture.parse(facts.getArchitecture()).orElse(Architecture.ofThisMachine());
            return ImageVersion.read(dir.entry(version), dir.bundle(), version, arch, TrustedCertificates.none(), null);
        }
        return OnDiskVersion.load(dir.entry(version), dir.bundle(), dir.name(), version);
    }
}
