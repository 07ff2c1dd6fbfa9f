package io.confext.agent.kube;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.kube.RevisionRead.Unresolved;
import io.confext.api.status.Conditions;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.HostFacts;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds the ConfextNode status one pass reports (pure: no I/O). Timestamps ({@code since},
 * {@code lastTransitionTime}) are carried over from the previous status while nothing changed, so
 * an unchanged node produces an identical status and no API write.
 */
public final class StatusBuilder {

    public static final String READY = "Ready";

    private final String agentVersion;

    public StatusBuilder(String agentVersion) {
        this.agentVersion = agentVersion;
    }

    /**
     * @param hostStates what {@code converge} returned for the set the host has now, or {@code null}
     *        when the host was not converged to the current spec (held, host unreachable)
     */
    public ConfextNodeStatus build(
            Long generation,
            HostView host,
            List<DesiredBundle> desired,
            List<BundleState> hostStates,
            ConvergencePlan plan,
            ConfextNodeStatus previous,
            Instant now) {
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, BundleState> before = previous == null || previous.getBundles() == null
                ? Map.of()
                : previous.getBundles().stream()
                        .collect(Collectors.toMap(BundleState::getName, Function.identity(), (a, b) -> a));
        Map<String, DesiredBundle> wanted =
                desired.stream().collect(Collectors.toMap(DesiredBundle::getName, Function.identity(), (a, b) -> a));

        List<BundleState> states = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        if (hostStates != null) {
            for (BundleState fromHost : hostStates) {
                BundleState state = copy(fromHost);
                Unresolved why = plan.unresolved().get(state.getName());
                if (why != null) {
                    // The host kept the old content; say why the new revision is not there.
                    describeUnresolved(state, wanted.get(state.getName()), why);
                    state.setSince(null);
                }
                states.add(state);
                reported.add(state.getName());
            }
        } else {
            // The host was not converged: whatever it had is still there, as last reported.
            before.values().stream()
                    .filter(b -> !wanted.containsKey(b.getName()))
                    .forEach(b -> {
                        states.add(copy(b));
                        reported.add(b.getName());
                    });
        }
        for (DesiredBundle bundle : desired) {
            if (reported.contains(bundle.getName())) {
                continue;
            }
            BundleState old = before.get(bundle.getName());
            Unresolved why = plan.unresolved().get(bundle.getName());
            BundleState state;
            if (why == null && old != null && sameRevision(old, bundle)) {
                state = copy(old);
            } else {
                state = new BundleState();
                state.setName(bundle.getName());
                if (old != null) {
                    state.setActiveVersion(old.getActiveVersion());
                    state.setUnits(old.getUnits());
                }
                if (why != null) {
                    describeUnresolved(state, bundle, why);
                } else {
                    describeUnresolved(
                            state,
                            bundle,
                            new Unresolved(
                                    BundlePhase.Pending,
                                    host.isReachable() ? Reason.Held : Reason.HostUnreachable,
                                    host.isReachable() ? plan.holdReason() : host.error(),
                                    true));
                }
            }
            states.add(state);
            reported.add(bundle.getName());
        }
        states.sort(Comparator.comparing(BundleState::getName));
        for (BundleState state : states) {
            BundleState old = before.get(state.getName());
            if (state.getSince() == null) {
                boolean samePhase = old != null
                        && old.getPhase() == state.getPhase()
                        && Objects.equals(old.getReason(), state.getReason());
                state.setSince(samePhase && old.getSince() != null ? old.getSince() : timestamp);
            }
        }

        ConfextNodeStatus status = new ConfextNodeStatus();
        status.setObservedGeneration(generation);
        status.setHost(hostFacts(host, previous));
        setBundles(status, states);
        status.setConditions(
                List.of(ready(generation, host, status.getActiveBundles(), desired.size(), previous, timestamp)));
        return status;
    }

    /**
     * The status while the host works on one bundle (pure): {@code previous} with that bundle's entry saying which
     * step it reached for the desired revision, the version the unit sees left as it was. Empty when there is no
     * previous status to amend (the agent reports a whole status first, with host facts and Ready).
     */
    public Optional<ConfextNodeStatus> progress(
            ConfextNodeStatus previous,
            DesiredBundleContent bundle,
            BundlePhase phase,
            Reason reason,
            String message,
            Instant now) {
        if (previous == null) {
            return Optional.empty();
        }
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        List<BundleState> states = new ArrayList<>();
        BundleState old = null;
        for (BundleState b : previous.getBundles() == null ? List.<BundleState>of() : previous.getBundles()) {
            if (bundle.name().equals(b.getName())) {
                old = b;
            } else {
                states.add(copy(b));
            }
        }
        BundleState state = new BundleState();
        state.setName(bundle.name());
        state.setRevision(bundle.revision());
        state.setDigest(bundle.digest());
        state.setDesiredVersion(bundle.content().version());
        state.setPhase(phase);
        state.setReason(reason.name());
        state.setMessage(message);
        state.setSince(timestamp);
        if (old != null) {
            state.setActiveVersion(old.getActiveVersion());
            state.setUnits(old.getUnits());
        }
        states.add(state);
        states.sort(Comparator.comparing(BundleState::getName));

        ConfextNodeStatus status = new ConfextNodeStatus();
        status.setObservedGeneration(previous.getObservedGeneration());
        status.setHost(previous.getHost());
        setBundles(status, states);
        status.setConditions(previous.getConditions());
        return Optional.of(status);
    }

    /** The bundle entries and the counts derived from them. */
    private static void setBundles(ConfextNodeStatus status, List<BundleState> states) {
        status.setBundles(states);
        status.setActiveBundles((int)
                states.stream().filter(s -> s.getPhase() == BundlePhase.Active).count());
        status.setFailedBundles((int) states.stream()
                .filter(s -> s.getPhase() == BundlePhase.Failed || s.getPhase() == BundlePhase.RolledBack)
                .count());
    }

    private HostFacts hostFacts(HostView host, ConfextNodeStatus previous) {
        if (!host.isReachable()) {
            return previous == null ? null : previous.getHost();
        }
        HostFacts facts = host.facts();
        if (facts != null && facts.getAgentVersion() == null) {
            HostFacts withVersion = copy(facts);
            withVersion.setAgentVersion(agentVersion);
            return withVersion;
        }
        return facts;
    }

    private static Condition ready(
            Long generation, HostView host, int active, int desired, ConfextNodeStatus previous, String timestamp) {
        String status = host.isReachable() ? Conditions.TRUE : Conditions.FALSE;
        Reason reason = host.isReachable() ? Reason.AgentReady : Reason.HostUnreachable;
        String message = host.isReachable()
                ? "agent is converging this node; " + active + " of " + desired + " desired bundles active"
                : "host systemd cannot be reached: " + host.error();
        return new Conditions(previous == null ? null : previous.getConditions(), generation, timestamp)
                .put(READY, status, reason, message)
                .build()
                .get(0);
    }

    private static void describeUnresolved(BundleState state, DesiredBundle bundle, Unresolved why) {
        if (bundle != null) {
            state.setDesiredVersion(bundle.getVersion());
            if (bundle.getRevision() != null) {
                state.setRevision(bundle.getRevision().getName());
                state.setDigest(bundle.getRevision().getDigest());
            }
        }
        state.setPhase(why.phase());
        state.setReason(why.reason());
        state.setMessage(why.message());
    }

    private static boolean sameRevision(BundleState state, DesiredBundle bundle) {
        return bundle.getRevision() != null
                && Objects.equals(state.getRevision(), bundle.getRevision().getName())
                && Objects.equals(state.getDigest(), bundle.getRevision().getDigest());
    }

    private static BundleState copy(BundleState s) {
        BundleState c = new BundleState();
        c.setName(s.getName());
        c.setRevision(s.getRevision());
        c.setDigest(s.getDigest());
        c.setDesiredVersion(s.getDesiredVersion());
        c.setActiveVersion(s.getActiveVersion());
        c.setPhase(s.getPhase());
        c.setReason(s.getReason());
        c.setMessage(s.getMessage());
        c.setSince(s.getSince());
        c.setUnits(s.getUnits());
        return c;
    }

    private static HostFacts copy(HostFacts f) {
        HostFacts c = new HostFacts();
        c.setSystemdVersion(f.getSystemdVersion());
        c.setConfext(f.getConfext());
        c.setRefreshOnReload(f.getRefreshOnReload());
        c.setOsId(f.getOsId());
        c.setOsVersionId(f.getOsVersionId());
        c.setArchitecture(f.getArchitecture());
        c.setAgentVersion(f.getAgentVersion());
        return c;
    }
}
