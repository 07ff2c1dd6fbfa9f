package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.StateLayout;
import io.confext.agent.systemd.Systemd;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Puts a bundle's version where its units see it: service scope rewrites the units' drop-ins (daemon-reload when one
 * changed), host scope publishes the image link and re-merges /etc with systemd-confext. Also what a unit sees of a
 * version under the service-scope bundles stacked above it.
 */
final class UnitAttacher {
    private final HostFiles host;
    private final long hostPid;
    private final StateLayout layout;
    private final ApplierSettings settings;
    private final HostFacts facts;
    private final Systemd sd;
    private final DropInStore dropIns;
    private final PassJournal journal;
    private final KeptVersions kept;

    UnitAttacher(
            HostFiles host,
            long hostPid,
            StateLayout layout,
            ApplierSettings settings,
            HostFacts facts,
            Systemd sd,
            DropInStore dropIns,
            PassJournal journal,
            KeptVersions kept) {
        this.host = host;
        this.hostPid = hostPid;
        this.layout = layout;
        this.settings = settings;
        this.facts = facts;
        this.sd = sd;
        this.dropIns = dropIns;
        this.journal = journal;
        this.kept = kept;
    }

    /** Service scope: rewrite the drop-ins; host scope: re-merge /etc. @return whether the host changed */
    boolean attach(String bundle, Scope scope, StagedVersion target) {
        if (scope == Scope.Host) {
            linkHostImage(bundle, target);
            SeenVersion hostView = new ViewReader(host).seen(1, bundle, target);
            boolean current = target == null ? hostView.version() == null : hostView.sees(target.version());
            return !current && refreshHostConfexts(bundle);
        }
        return writeDropIns(unitsOf(bundle));
    }

    private Set<String> unitsOf(String bundle) {
        BundleRecord r = journal.record(bundle);
        return r == null ? Set.of() : new LinkedHashSet<>(r.units());
    }

    boolean writeDropIns(Set<String> unitNames) {
        boolean changed = false;
        for (String unit : unitNames) {
            changed |= dropIns.put(unit, expectedDropIn(unit));
        }
        if (changed) {
            sd.daemonReload();
        }
        return changed;
    }

    /** The unit's drop-in as the journal's service-scope bundles on it make it. */
    String expectedDropIn(String unit) {
        List<DropIn.Attachment> attached = new ArrayList<>();
        for (BundleRecord r : journal.state().bundles().values()) {
            if (r.scope() == Scope.Service && r.units().contains(unit)) {
                attachment(r).ifPresent(attached::add);
            }
        }
        return DropIn.render(attached, settings.images().imagePolicy());
    }

    /**
     * systemd-confext (262) ignores {@code .raw} entries in a {@code .v/} directory of its search path, so a
     * host-scope image version is published as the symlink {@code /var/lib/confexts/<bundle>.raw} pointing into
     * the bundle's {@code .v/} (replaced atomically). A systemd that does pick images from {@code .v/} finds the
     * same newest version both ways. Directory versions and removal take the link away.
     */
    private void linkHostImage(String bundle, StagedVersion target) {
        Path link = layout.agentPath(StateLayout.HOST_CONFEXT_DIR + "/" + bundle + ".raw");
        try {
            if (target instanceof ImageVersion
                    || target instanceof ShadowedVersion sv && sv.inner() instanceof ImageVersion) {
                Path to = Path.of(bundle + ".v", target.entryName());
                if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(to)) {
                    return;
                }
                Path tmp = link.resolveSibling("." + bundle + ".raw.tmp-" + UUID.randomUUID());
                Files.createSymbolicLink(tmp, to);
                Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                HostFiles.fsyncDirectory(link.getParent());
            } else if (Files.isSymbolicLink(link)) {
                Files.delete(link);
                HostFiles.fsyncDirectory(link.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot point " + link + " at version " + (target == null ? "none" : target.version()) + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** A service-scope bundle's place in its units' drop-ins, by the kind of its newest version; empty when it has none. */
    private Optional<DropIn.Attachment> attachment(BundleRecord r) {
        VersionsDirectory v = kept.versionsOf(r.name(), Scope.Service);
        List<String> present = v.versions();
        return present.isEmpty()
                ? Optional.empty()
                : Optional.of(new DropIn.Attachment(
                        r.name(), r.priority(), layout.serviceVersionsHostPath(r.name()), v.isImage(present.get(0))));
    }

    /** Merges the host's /etc again whatever it shows now (a host-scope entry was replaced under the merge). */
    void remergeHost() {
        refreshHostConfexts("");
    }

    /** systemd-confext refresh as {@link HostConfextRefresh} runs it. */
    private boolean refreshHostConfexts(String bundle) {
        HostConfextRefresh.run(
                host, hostPid, facts.getSystemdVersion(), settings.images().imagePolicy(), settings.jobTimeout());
        return true;
    }

    /**
     * The files of {@code v} that {@code unit} can see: service-scope bundles stacked above it on the same unit
     * (see {@link DropIn#above}: directories above images, then higher priority, ties the later name) overlay theirs;
     * for host scope, host-scope bundles above it in the host's stack.
     */
    StagedVersion asSeenBy(String unit, StagedVersion v, int priority, Scope scope) {
        if (v == null) {
            return null;
        }
        if (scope == Scope.Host) {
            return asSeenOnHost(v);
        }
        Set<String> shadowed = new HashSet<>();
        DropIn.Attachment self = new DropIn.Attachment(v.bundle(), priority, "", v instanceof ImageVersion);
        for (BundleRecord r : journal.state().bundles().values()) {
            if (r.name().equals(v.bundle())
                    || r.scope() != Scope.Service
                    || !r.units().contains(unit)) {
                continue;
            }
            var other = attachment(r);
            if (other.isPresent() && DropIn.above(other.get(), self)) {
                VersionsDirectory od = kept.versionsOf(r.name(), Scope.Service);
                shadowed.addAll(
                        kept.loadKept(od, od.versions().get(0)).expectedFiles().keySet());
            }
        }
        return ShadowedVersion.of(v, shadowed);
    }

    /**
     * The files of {@code v} that the host's /etc shows: host-scope bundles stacked above it (see
     * {@link HostStackOrder}) overlay the paths they ship too.
     */
    private StagedVersion asSeenOnHost(StagedVersion v) {
        HostStackOrder.Layer self = new HostStackOrder.Layer(
                v.bundle(), v.extensionName(), v.expectedFiles().keySet());
        Set<String> shadowed = new HashSet<>();
        for (HostStackOrder.Layer other : hostLayers()) {
            if (!other.bundle().equals(v.bundle()) && HostStackOrder.above(other, self)) {
                shadowed.addAll(other.paths());
            }
        }
        shadowed.retainAll(self.paths());
        return ShadowedVersion.of(v, shadowed);
    }

    /**
     * The journal's host-scope bundles as the host stacks them: each under the name its {@code .v/} directory has,
     * with the files of its newest kept version (the one systemd merges).
     */
    List<HostStackOrder.Layer> hostLayers() {
        List<HostStackOrder.Layer> layers = new ArrayList<>();
        for (BundleRecord r : journal.state().bundles().values()) {
            if (r.scope() != Scope.Host) {
                continue;
            }
            VersionsDirectory od = kept.versionsOf(r.name(), Scope.Host);
            List<String> present = od.versions();
            if (!present.isEmpty()) {
                layers.add(new HostStackOrder.Layer(
                        r.name(),
                        od.name(),
                        kept.loadKept(od, present.get(0)).expectedFiles().keySet()));
            }
        }
        return layers;
    }

    /**
     * Whether the service-scope bundles on {@code unit}, with {@code bundle} at {@code v} (null: taken off), ship a
     * path in common, as their newest kept versions have it (see {@link ActivationPlanner#overlap}).
     */
    boolean stackOverlaps(String unit, String bundle, StagedVersion v) {
        List<Set<String>> layers = new ArrayList<>();
        if (v != null) {
            layers.add((v instanceof ShadowedVersion sv ? sv.inner() : v)
                    .expectedFiles()
                    .keySet());
        }
        for (BundleRecord r : journal.state().bundles().values()) {
            if (r.name().equals(bundle)
                    || r.scope() != Scope.Service
                    || !r.units().contains(unit)) {
                continue;
            }
            VersionsDirectory od = kept.versionsOf(r.name(), Scope.Service);
            if (!od.versions().isEmpty()) {
                layers.add(
                        kept.loadKept(od, od.versions().get(0)).expectedFiles().keySet());
            }
        }
        return ActivationPlanner.overlap(layers);
    }
}
