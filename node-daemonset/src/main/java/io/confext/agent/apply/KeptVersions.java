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

    KeptVersions(StateLayout layout, HostFacts facts) {
        this.layout = layout;
        this.facts = facts;
    }

    VersionsDirectory versionsOf(String bundle, Scope scope) {
        String hostPath =
                scope == Scope.Host ? layout.hostVersionsHostPath(bundle) : layout.serviceVersionsHostPath(bundle);
        return new VersionsDirectory(layout.agentPath(hostPath), bundle);
    }

    /** A kept version read back from its .v/ directory: a directory tree or a verified image. */
    StagedVersion loadKept(VersionsDirectory dir, String version) {
        if (dir.isImage(version)) {
            Architecture arch = Architecture.parse(facts.getArchitecture()).orElse(Architecture.ofThisMachine());
            return ImageVersion.read(dir.entry(version), dir.bundle(), version, arch, TrustedCertificates.none(), null);
        }
        return OnDiskVersion.load(dir.entry(version), dir.bundle(), version);
    }
}
