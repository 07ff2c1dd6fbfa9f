package io.confext.agent.apply;

import io.confext.agent.host.HostFiles;
import io.confext.agent.state.AgentState;
import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.StateLayout;
import io.confext.agent.systemd.Systemd;
import io.confext.agent.trust.LoadedNodePolicy;
import io.confext.agent.trust.NodeVerdict;
import io.confext.agent.verify.Architecture;
import io.confext.agent.verify.TrustedCertificates;
import io.confext.api.revision.ResolvedFile;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.Scope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The I/O around {@link RestorePlanner}, run once at the agent's start before any API call: gathers the journal and
 * what is on disk, writes the drop-ins the plan names (one daemon-reload), re-merges host-scope bundles the host's
 * /etc no longer shows, and activates and proves the units that do not see their restored version. It never moves a
 * bundle to another version, never quarantines and never writes a verdict to the journal: the first pass with the API
 * decides everything else. A unit that cannot be proven here is only reported.
 */
final class LocalRestore {
    private static final Logger LOG = Logger.getLogger(LocalRestore.class);

    /**
     * What was restored, by bundle, in words for the status (see {@code RestoredFromLocalState}), and the main PIDs of
     * the units it found or made see their restored version, by unit: after a reboot every PID differs from the
     * journal's, and the first pass with the API must not take these for restarts (Degraded).
     */
    record Report(Map<String, String> restored, Map<String, Set<Long>> provenPids) {
        Report {
            restored = Map.copyOf(restored);
            provenPids = Map.copyOf(provenPids);
        }
    }

    private final HostFiles host;
    private final long hostPid;
    private final StateLayout layout;
    private final AgentState state;
    private final VerifiedManifests verified;
    private final Systemd sd;
    private final HostFacts facts;
    private final ApplierSettings settings;
    private final LoadedNodePolicy nodePolicy;

    LocalRestore(
            HostFiles host,
            long hostPid,
            StateLayout layout,
            AgentState state,
            VerifiedManifests verified,
            Systemd sd,
            HostFacts facts,
            ApplierSettings settings,
            LoadedNodePolicy nodePolicy) {
        this.host = host;
        this.hostPid = hostPid;
        this.layout = layout;
        this.state = state;
        this.verified = verified;
        this.sd = sd;
        this.facts = facts;
        this.settings = settings;
        this.nodePolicy = nodePolicy;
    }

    Report run() {
        DropInStore dropIns = new DropInStore(host);
        List<RestorePlanner.BundleFacts> bundles = new ArrayList<>();
        Map<String, Optional<String>> current = new LinkedHashMap<>();
        for (BundleRecord r : state.bundles().values()) {
            if (r.scope() == null) {
                continue;
            }
            bundles.add(facts(r));
            if (r.scope() == Scope.Service) {
                dropIns.check(r.units());
                r.units().forEach(u -> current.put(u, dropIns.current(u)));
            }
        }
        RestorePlanner.Plan plan = RestorePlanner.plan(
                new RestorePlanner.Input(bundles, current, settings.images().imagePolicy()));
        plan.skipped().forEach(s -> LOG.infof("Not restoring bundle %s from local state: %s", s.bundle(), s.why()));
        Map<String, String> report = new LinkedHashMap<>();
        Map<String, List<String>> done = new LinkedHashMap<>();
        Map<String, Set<Long>> proven = new LinkedHashMap<>();
        plan.dropIns().forEach((unit, content) -> {
            dropIns.put(unit, content);
            plan.restored().stream()
                    .filter(r -> r.units().contains(unit))
                    .forEach(r -> done.computeIfAbsent(r.bundle(), k -> new ArrayList<>())
                            .add("drop-in of " + unit + " written again"));
        });
        if (!plan.dropIns().isEmpty()) {
            sd.daemonReload();
        }
        UnitActivator units = new UnitActivator(
                sd, new ViewReader(host), facts.getSystemdVersion(), settings.jobTimeout(), settings.proofTimeout());
        boolean refreshed = false;
        for (RestorePlanner.Restored r : plan.restored()) {
            BundleRecord rec = state.bundles().get(r.bundle());
            VersionsDirectory dir = versionsOf(r.bundle(), r.scope());
            StagedVersion target = kept(dir, r.version());
            if (r.scope() == Scope.Host
                    && !refreshed
                    && !new ViewReader(host).seen(1, r.bundle(), target).sees(r.version())) {
                refreshHostConfexts();
                refreshed = true;
                done.computeIfAbsent(r.bundle(), k -> new ArrayList<>()).add("host /etc merged again");
            }
            for (String unit : r.units()) {
                Activation a = units.plan(r.scope(), unit, r.bundle(), target, rec.reload(), false, r.version(), false);
                if (a.action() == Activation.Action.NONE && !done.containsKey(r.bundle())) {
                    seesRestored(unit, r.bundle(), target, r.version())
                            .ifPresent(pid -> proven.computeIfAbsent(unit, u -> new HashSet<>())
                                    .add(pid));
                    continue; // sees it already, nothing was written for it: nothing to report
                }
                UnitOutcome o = units.activate(unit, r.bundle(), target, a);
                done.computeIfAbsent(r.bundle(), k -> new ArrayList<>())
                        .add(unit + ": " + o.message()
                                + (o.ok() ? "" : " (not proven; the pass with the API decides)"));
            }
        }
        done.forEach((bundle, what) -> {
            String version = state.bundles().get(bundle).outcome().activeVersion();
            String message =
                    "version " + version + " restored from the agent's journal and its verified content before the"
                            + " API answered: " + String.join("; ", what);
            LOG.info("Bundle " + bundle + ": " + message);
            report.put(bundle, message);
        });
        for (RestorePlanner.Restored r : plan.restored()) {
            r.units().forEach(u -> {
                if (!units.provenPids(u).isEmpty()) {
                    proven.computeIfAbsent(u, x -> new HashSet<>()).addAll(units.provenPids(u));
                }
            });
        }
        return new Report(report, proven);
    }

    /** The unit's main PID when it sees the restored version completely (read through its own view). */
    private Optional<Long> seesRestored(String unit, String bundle, StagedVersion target, String version) {
        long pid = sd.unit(unit).mainPid();
        return pid > 0 && new ViewReader(host).seen(pid, bundle, target).sees(version)
                ? Optional.of(pid)
                : Optional.empty();
    }

    private RestorePlanner.BundleFacts facts(BundleRecord r) {
        VersionsDirectory dir = versionsOf(r.name(), r.scope());
        List<String> present = dir.versions();
        String active = r.outcome() == null ? null : r.outcome().activeVersion();
        Optional<ContentManifest> proven = active == null ? Optional.empty() : verified.load(r.name(), active);
        ContentManifest observed = active == null || !present.contains(active)
                ? new ContentManifest(Map.of())
                : EntryScanner.scan(dir.entry(active)).releaseNamedFor(dir.name(), dir.bundle());
        Optional<String> refusal =
                active == null || !present.contains(active) ? Optional.empty() : nodeRefusal(r, dir, active);
        String versionsHostPath = r.scope() == Scope.Host
                ? layout.hostVersionsHostPath(dir.name())
                : layout.serviceVersionsHostPath(r.name());
        DropIn.Attachment attachment = new DropIn.Attachment(
                r.name(), r.priority(), versionsHostPath, !present.isEmpty() && dir.isImage(present.get(0)));
        return new RestorePlanner.BundleFacts(r, present, proven, observed, refusal, attachment);
    }

    /** The node's own checks, as before a kept version is used again (see {@link NodeChecks}). */
    private Optional<String> nodeRefusal(BundleRecord r, VersionsDirectory dir, String version) {
        NodeVerdict v;
        if (dir.isImage(version)) {
            v = NodeChecks.gateImage(nodePolicy, r.name(), r.scope(), dir.entry(version), architecture());
        } else {
            v = NodeChecks.gateFiles(
                    nodePolicy, r.name(), r.scope(), readDirectory(dir.entry(version), r.name(), version));
        }
        return v instanceof NodeVerdict.Refused refused
                ? Optional.of(refused.reason() + ": " + refused.message())
                : Optional.empty();
    }

    private static DirectoryVersion readDirectory(Path entry, String bundle, String version) {
        Path etc = entry.resolve("etc");
        List<ResolvedFile> files = new ArrayList<>();
        try (var walk = Files.walk(etc)) {
            for (Path p : walk.filter(q -> Files.isRegularFile(q, LinkOption.NOFOLLOW_LINKS))
                    .sorted()
                    .toList()) {
                String rel = etc.relativize(p).toString();
                if (!rel.startsWith("extension-release.d/")) {
                    int mode = Files.readAttributes(
                                    p, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .permissions()
                            .stream()
                            .mapToInt(x -> 1 << (8 - x.ordinal()))
                            .sum();
                    files.add(new ResolvedFile(rel, Files.readString(p), String.format("%04o", mode)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kept version " + entry + ": " + e.getMessage(), e);
        }
        return new DirectoryVersion(bundle, version, files);
    }

    private StagedVersion kept(VersionsDirectory dir, String version) {
        if (dir.isImage(version)) {
            return ImageVersion.read(
                    dir.entry(version), dir.bundle(), version, architecture(), TrustedCertificates.none(), null);
        }
        return OnDiskVersion.load(dir.entry(version), dir.bundle(), dir.name(), version);
    }

    private Architecture architecture() {
        return Architecture.parse(facts.getArchitecture()).orElse(Architecture.ofThisMachine());
    }

    private VersionsDirectory versionsOf(String bundle, Scope scope) {
        if (scope == Scope.Host) { // under the name the host has it by; a rename is finished by the pass with the API
            return new HostExtensionDirs(layout, this::refreshHostConfexts).current(bundle);
        }
        return new VersionsDirectory(layout.agentPath(layout.serviceVersionsHostPath(bundle)), bundle);
    }

    /** The applier's refresh of host-scope confexts, the same command (a restore never merges /etc read-only). */
    private void refreshHostConfexts() {
        HostConfextRefresh.run(
                host, hostPid, facts.getSystemdVersion(), settings.images().imagePolicy(), settings.jobTimeout());
    }
}
