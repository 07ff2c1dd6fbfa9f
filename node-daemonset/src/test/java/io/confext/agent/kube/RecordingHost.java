package io.confext.agent.kube;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.apply.HostApplier;
import io.confext.agent.apply.ProgressListener;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.HostFacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Test double of the host side for the loop tests: records every converge call and answers like a
 * host that applies everything (Active at the content's version; removed bundles reported Removed
 * once). The real host side is tested against real systemd hosts in its own tests; here what matters
 * is what the Kubernetes side hands to the host and reports back.
 */
final class RecordingHost implements HostApplier {

    final List<List<DesiredBundleContent>> calls = new CopyOnWriteArrayList<>();
    private final Set<String> present = new LinkedHashSet<>();
    private final Map<String, Function<DesiredBundleContent, BundleState>> overrides = new HashMap<>();
    volatile RuntimeException factsFailure;
    /** What {@link #restoreFromLocalState()} reports it restored at the agent's start, by bundle. */
    volatile Map<String, String> restoredAtStart = Map.of();

    @Override
    public Map<String, String> restoreFromLocalState() {
        return restoredAtStart;
    }

    @Override
    public HostFacts facts() {
        if (factsFailure != null) {
            throw factsFailure;
        }
        HostFacts facts = new HostFacts();
        facts.setSystemdVersion(262);
        facts.setConfext(true);
        facts.setRefreshOnReload(true);
        facts.setOsId("debian");
        facts.setOsVersionId("14");
        facts.setArchitecture("x86-64");
        return facts;
    }

    /** Makes converge report this state for the bundle instead of Active. */
    synchronized void answer(String bundle, Function<DesiredBundleContent, BundleState> state) {
        overrides.put(bundle, state);
    }

    /** Steps to report through the progress listener for a bundle, before converge answers. */
    final Map<String, List<BundlePhase>> progressSteps = new java.util.concurrent.ConcurrentHashMap<>();
    /** Runs after each progress report (a test reads the API there); bundle name and phase. */
    volatile java.util.function.BiConsumer<String, BundlePhase> afterProgress = (b, p) -> {};

    @Override
    public List<BundleState> converge(List<DesiredBundleContent> desired, ProgressListener progress) {
        for (DesiredBundleContent bundle : desired) {
            for (BundlePhase phase : progressSteps.getOrDefault(bundle.name(), List.of())) {
                progress.reached(
                        bundle,
                        phase,
                        Reason.valueOf(phase.name()),
                        "step " + phase + " of " + bundle.content().version());
                afterProgress.accept(bundle.name(), phase);
            }
        }
        return converge(desired);
    }

    @Override
    public synchronized List<BundleState> converge(List<DesiredBundleContent> desired) {
        calls.add(List.copyOf(desired));
        List<BundleState> states = new ArrayList<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (DesiredBundleContent bundle : desired) {
            wanted.add(bundle.name());
            var override = overrides.get(bundle.name());
            states.add(
                    override != null
                            ? override.apply(bundle)
                            : state(
                                    bundle,
                                    BundlePhase.Active,
                                    "Proven",
                                    bundle.content().version()));
        }
        for (String gone : present) {
            if (!wanted.contains(gone)) {
                BundleState removed = new BundleState();
                removed.setName(gone);
                removed.setPhase(BundlePhase.Removed);
                removed.setReason("NotDesired");
                removed.setMessage("units see the host's own /etc again");
                states.add(removed);
            }
        }
        present.clear();
        present.addAll(wanted);
        return states;
    }

    static BundleState state(DesiredBundleContent bundle, BundlePhase phase, String reason, String activeVersion) {
        BundleState s = new BundleState();
        s.setName(bundle.name());
        s.setRevision(bundle.revision());
        s.setDigest(bundle.digest());
        s.setDesiredVersion(bundle.content().version());
        s.setActiveVersion(activeVersion);
        s.setPhase(phase);
        s.setReason(reason);
        s.setMessage("demo.service sees " + activeVersion);
        return s;
    }

    List<String> lastNames() {
        return calls.isEmpty()
                ? null
                : calls.get(calls.size() - 1).stream()
                        .map(DesiredBundleContent::name)
                        .toList();
    }
}
