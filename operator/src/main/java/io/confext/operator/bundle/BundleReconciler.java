package io.confext.operator.bundle;

import io.confext.api.revision.RevisionContent;
import io.confext.api.status.Conditions;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.operator.OperatorSettings;
import io.confext.operator.cache.CacheTrim;
import io.confext.operator.cache.TrimmingItemStore;
import io.confext.operator.node.NodeCacheLag;
import io.confext.operator.node.NodeEntryWriter;
import io.confext.operator.node.NodeViews;
import io.confext.operator.revision.RevisionFreezer;
import io.confext.operator.revision.RevisionStore;
import io.confext.operator.revision.StoredRevision;
import io.confext.operator.revision.UnresolvableBundleException;
import io.confext.operator.rollout.DeliveredVersion;
import io.confext.operator.rollout.Direction;
import io.confext.operator.rollout.NodeDecision;
import io.confext.operator.rollout.NodeView;
import io.confext.operator.rollout.OrderKeyMemo;
import io.confext.operator.rollout.ReportClock;
import io.confext.operator.rollout.RevisionTarget;
import io.confext.operator.rollout.RolloutInput;
import io.confext.operator.rollout.RolloutPlan;
import io.confext.operator.rollout.RolloutPlanner;
import io.confext.operator.rollout.RolloutRules;
import io.confext.operator.rollout.RolloutState;
import io.confext.operator.rollout.UndoPlanner;
import io.confext.operator.status.BundleConditions;
import io.confext.operator.status.DegradedNode;
import io.confext.operator.status.StatusAggregator;
import io.confext.operator.status.StatusInput;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.rate.RateLimited;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Rolls one ConfextBundle out over the fleet. Thin: it reads the bundle, its revisions and the
 * nodes from the API and the informer caches, asks the pure {@link RolloutPlanner} what each node
 * should run, writes the changed node entries, and asks the pure {@link StatusAggregator} for the
 * status. Rate-limited to one reconcile per second per bundle, so node events are batched, and
 * paced ({@link StatusWritePacer}) so that the status is written at most once a second.
 */
@ControllerConfiguration(name = BundleReconciler.NAME)
@RateLimited(maxReconciliations = 1, within = 50, unit = TimeUnit.MILLISECONDS)
public class BundleReconciler
        implements Reconciler<ConfextBundle>, Cleaner<ConfextBundle>, ConfigurableReconciler<ConfextBundle> {
    public static final String NAME = "confextbundle";
    /** {@code previous} or a version of status.history: the operator sets the spec back to it and removes the annotation. */
    public static final String UNDO_ANNOTATION = "confext.io/undo";
    /** Objects per page of an informer's list of all nodes. */
    public static final long LIST_PAGE = 500;

    private static final Logger LOG = Logger.getLogger(BundleReconciler.class);

    private final OperatorSettings settings;
    private final Clock clock;
    private final RolloutMetrics metrics;
    private final OrderKeyMemo orderKeys = new OrderKeyMemo();
    private final RolloutPlanner planner = new RolloutPlanner(orderKeys);
    private final UndoPlanner undoPlanner = new UndoPlanner();
    private final ReportClock reportClock = new ReportClock();
    private final PlannedRestarts plannedRestarts = new PlannedRestarts();
    private final StatusAggregator aggregator = new StatusAggregator();
    private final StatusWritePacer statusPacer = new StatusWritePacer();
    private final ReconcileSpacing spacing = new ReconcileSpacing();
    private final RecentEntryWrites recentWrites = new RecentEntryWrites();
    private final StartedRollbacks startedRollbacks = new StartedRollbacks();
    private ConfextNodeEventSource confextNodes;
    private InformerEventSource<Node, ConfextBundle> nodes;

    @Inject
    public BundleReconciler(OperatorSettings settings, Clock clock, MeterRegistry registry) {
        this.settings = settings;
        this.clock = clock;
        this.metrics = new RolloutMetrics(registry);
    }

    /**
     * The bundle cache keeps no managedFields: status and finalizer are applied from fresh objects.
     * Updates pass {@link BundleUpdates} instead of JOSDK's generation check, which would drop the
     * undo annotation (JOSDK ands a custom filter with its own, so its own is switched off).
     */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<ConfextBundle> configuration) {
        configuration
                .withItemStore(new TrimmingItemStore<>(CacheTrim::managedFields))
                .withGenerationAware(false)
                .withOnUpdateFilter(BundleUpdates::relevant);
    }

    @Override
    public List<EventSource<?, ConfextBundle>> prepareEventSources(EventSourceContext<ConfextBundle> context) {
        // A ConfextNode update wakes the bundles it concerns (ConfextNodeEventSource). A Node event (a new node, a
        // label change: both rare) can concern any bundle's selector: it maps to every bundle, and the per-bundle rate
        // limit coalesces the events.
        SecondaryToPrimaryMapper<Node> nodeToBundles = r -> allBundles(context);
        confextNodes = ConfextNodeEventSource.create(context, LIST_PAGE);
        nodes = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Node.class, ConfextBundle.class)
                        .withName("nodes")
                        .withSecondaryToPrimaryMapper(nodeToBundles)
                        .withPrimaryToSecondaryMapper((ConfextBundle b) -> Set.<ResourceID>of())
                        .withItemStore(new TrimmingItemStore<>(CacheTrim::node))
                        .withInformerListLimit(LIST_PAGE)
                        // a Node's status changes every few seconds (heartbeats); only label changes matter here
                        .withOnUpdateFilter((n, old) -> !Objects.equals(
                                n.getMetadata().getLabels(), old.getMetadata().getLabels()))
                        .build(),
                context);
        return List.of(confextNodes, nodes);
    }

    private static Set<ResourceID> allBundles(EventSourceContext<ConfextBundle> context) {
        return context.getPrimaryCache().list().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    private Node node(String name) {
        return nodes.get(new ResourceID(name)).orElse(null);
    }

    @Override
    public UpdateControl<ConfextBundle> reconcile(ConfextBundle bundle, Context<ConfextBundle> context) {
        KubernetesClient client = context.getClient();
        String name = bundle.getMetadata().getName();
        var pace = spacing.waitBefore(name, clock.instant());
        if (pace.isPresent()) {
            return UpdateControl.<ConfextBundle>noUpdate()
                    .rescheduleAfter(Math.max(1, pace.get().toMillis()));
        }
        long generation = bundle.getMetadata().getGeneration() == null
                ? 0
                : bundle.getMetadata().getGeneration();
        ConfextBundleStatus previous = bundle.getStatus();
        Instant now = clock.instant();
        BundleEvents events = new BundleEvents(client, settings.eventsNamespace(), clock);
        RevisionStore store = new RevisionStore(client, settings.namespace(), settings.secretCopyNamespace());

        String undo = bundle.getMetadata().getAnnotations() == null
                ? null
                : bundle.getMetadata().getAnnotations().get(UNDO_ANNOTATION);
        if (undo != null) {
            consumeUndo(bundle, undo, client, store, events);
            // the spec change (a new generation) or the annotation's removal brings the next reconcile
            return UpdateControl.<ConfextBundle>noUpdate().rescheduleAfter(1000);
        }

        // The nodes that carry an entry of this bundle come from the index; of the others, only those its selector
        // matches (not yet started) concern it. No node's entries are searched for a bundle they do not name.
        var spec = bundle.getSpec();
        var canarySelector = NodeViews.canarySelector(spec);
        Map<String, ConfextNode> cxnByName = new HashMap<>();
        List<NodeView> views = new ArrayList<>();
        Map<String, BundleState> observed = new HashMap<>();
        for (ConfextNode cxn : confextNodes.byIndex(ConfextNodeEventSource.BY_BUNDLE, name)) {
            String node = cxn.getMetadata().getName();
            cxnByName.put(node, cxn);
            NodeView v = NodeViews.of(
                    name, spec.getNodeSelector(), spec.getScope(), spec.getReload(), canarySelector, cxn, node(node));
            if (v.matches() || v.desired() != null) {
                views.add(v);
            }
            BundleState st = NodeViews.statusEntry(cxn, name);
            if (st != null) {
                observed.put(node, st);
            }
        }
        List<String> unknownNodes = new ArrayList<>();
        confextNodes.list().forEach(cxn -> {
            String node = cxn.getMetadata().getName();
            if (cxnByName.containsKey(node)) {
                return;
            }
            Node n = node(node);
            if (n == null
                    && cxn.getMetadata().getDeletionTimestamp() == null
                    && NodeCacheLag.mayStillArrive(cxn, now)) {
                unknownNodes.add(node);
            }
            if (n != null
                    && NodeViews.matches(spec.getNodeSelector(), n.getMetadata().getLabels())) {
                cxnByName.put(node, cxn);
                views.add(NodeViews.of(
                        name, spec.getNodeSelector(), spec.getScope(), spec.getReload(), canarySelector, cxn, n));
            }
        });

        if (!unknownNodes.isEmpty()) {
            // A new ConfextNode whose Node the cache does not hold yet: whether its selector matches is unknown, and a
            // plan without it could call the rollout complete on the nodes it does see. Look again shortly; the Node's
            // event settles it. One without a Node for longer than NodeCacheLag.GRACE is left out.
            LOG.debugf("bundle %s: the Node of %s is not in the cache yet; planning later", name, unknownNodes);
            return UpdateControl.<ConfextBundle>noUpdate().rescheduleAfter(500);
        }
        StoredRevision requested;
        RolloutRules policy;
        try {
            policy = PolicyMapper.of(bundle.getSpec());
            requested = currentTarget(bundle, previous, generation, client, store);
        } catch (UnresolvableBundleException | IllegalArgumentException e) {
            Reason reason = e instanceof UnresolvableBundleException u ? u.catalogued() : Reason.InvalidSpec;
            return invalid(bundle, events, reason, e.getMessage(), generation, now);
        }
        StoredRevision stable = previous == null
                ? null
                : store.find(previous.getCurrentRevision()).orElse(null);
        RevisionTarget stableTarget = stable == null ? null : stable.target();

        // Older than what the bundle delivered: a marked rollback, or refused (then the running rollout goes on).
        List<DeliveredVersion> delivered = delivered(previous);
        List<String> onNodes = views.stream()
                .filter(v -> v.desired() != null)
                .map(v -> v.desired().revision().version())
                .toList();
        boolean allowDowngrade = bundle.getSpec().getRollout() != null
                && Boolean.TRUE.equals(bundle.getSpec().getRollout().getAllowDowngrade());
        Direction direction = undoPlanner.decide(requested.target(), delivered, onNodes, allowDowngrade);
        StoredRevision target = requested;
        Direction targetDirection = direction;
        if (direction instanceof Direction.Refused refused) {
            target = running(previous, requested, store);
            if (target == null) {
                return invalid(bundle, events, refused.reason(), refused.message(), generation, now);
            }
            targetDirection = undoPlanner.decide(target.target(), delivered, onNodes, true);
            if (!StatusAggregator.recordsRefusedDowngrade(previous)) {
                events.warning(bundle, refused.reason(), refused.message());
            }
        } else if (direction instanceof Direction.Rollback rb
                && previous != null
                && !requested.target().name().equals(previous.getTargetRevision())) {
            events.normal(bundle, Reason.RollbackPlanned, rb.message());
        }
        boolean rollingBack = startedRollbacks.rollingBack(
                name, target.target().name(), StatusAggregator.recordsRollbackFrom(previous, target.target()));

        // minReadySeconds and the deadline run on the operator's clock: when it first saw each report
        RevisionTarget completed = previous != null && target.target().name().equals(previous.getCurrentRevision())
                ? target.target()
                : null;
        spacing.ran(name, now, views.size());
        List<NodeView> timed = reportClock.stampAll(name, recentWrites.overlay(name, views, now), now, completed);
        orderKeys.retain(name, timed);

        RolloutPlan plan = planner.plan(new RolloutInput(
                name,
                policy,
                target.target(),
                stableTarget,
                rollingBack,
                progressSince(target, previous),
                timed,
                now,
                targetDirection.marksRollback()));

        if (plan.rollbackStarted()) {
            // The decision to roll back is kept in the status (rollingBack is read from it, above, and from
            // StartedRollbacks until the cache shows it). Node entries that went out before it would be planned
            // forward again by the next reconcile, which still reads the old status: the failed version would be
            // assigned anew. So a rollback's entries wait for its status write.
            var rollbackPace = statusPacer.waitBefore(name, clock.instant());
            if (rollbackPace.isPresent()) {
                return UpdateControl.<ConfextBundle>noUpdate()
                        .rescheduleAfter(Math.max(1, rollbackPace.get().toMillis()));
            }
        }
        NodeEntryWriter writer = new NodeEntryWriter(client, settings.namespace());
        for (NodeDecision d : plan.decisions()) {
            ConfextNode cxn = cxnByName.get(d.name());
            if (d.changed()) {
                writer.write(cxn, name, d.desired(), policy.minReadySeconds());
                recentWrites.wrote(name, d.name(), d.desired(), now);
            } else if (writer.onlyWindowDiffers(cxn, name, d.desired(), policy.minReadySeconds())) {
                // spec.rollout.minReadySeconds changed: the agent's health window follows, nothing new is assigned
                // (no wave, no rollout: the node keeps its version and its place in the plan)
                writer.write(cxn, name, d.desired(), policy.minReadySeconds());
            }
        }
        recordWaveEvent(bundle, plan, target.target(), events);
        for (NodeView v : plannedRestarts.fresh(name, views, target.target())) {
            events.normal(
                    bundle,
                    Reason.RestartPlanned,
                    "node %s: %s".formatted(v.name(), v.observed().message()));
        }
        // the nodes' phases first: a scrape that sees the pass's rollout state (set with the status) sees the phases it
        // came from
        metrics.record(name, phaseCounts(observed.values()));

        Set<String> inUse = new HashSet<>();
        inUse.add(target.target().name());
        if (stableTarget != null) {
            inUse.add(stableTarget.name());
        }
        views.forEach(v -> {
            if (v.desired() != null) {
                inUse.add(v.desired().revision().name());
            }
        });
        // Every version in the history stays undoable with its exact content.
        delivered.forEach(d -> {
            if (d.revision() != null) {
                inUse.add(d.revision());
            }
        });
        store.prune(name, inUse);

        ConfextBundleStatus status = aggregator.aggregate(new StatusInput(
                generation,
                target.target(),
                stableTarget,
                plan,
                policy.paused(),
                previous,
                now,
                direction instanceof Direction.Refused ? direction : targetDirection,
                DegradedNode.on(target.target(), observed)));
        if (sameStatus(previous, status)) {
            UpdateControl<ConfextBundle> control = UpdateControl.noUpdate();
            plan.recheckAt()
                    .ifPresent(at -> control.rescheduleAfter(
                            Math.max(1000, Duration.between(now, at).toMillis())));
            return control;
        }
        // The nodes' entries went out at once; the status waits for its pace, and with it the Events that are decided
        // against the previous status (they would be recorded twice if the status they are based on were not written).
        var statusPace = statusPacer.waitBefore(name, clock.instant());
        if (statusPace.isPresent()) {
            return UpdateControl.<ConfextBundle>noUpdate()
                    .rescheduleAfter(Math.max(1, statusPace.get().toMillis()));
        }
        recordStatusEvents(bundle, previous, plan, target.target(), events);
        statusPacer.wrote(name, clock.instant());
        if (plan.rollbackStarted()) {
            startedRollbacks.started(name, target.target().name());
        }
        UpdateControl<ConfextBundle> control = patchStatus(bundle, status);
        plan.recheckAt()
                .ifPresent(at -> control.rescheduleAfter(
                        Math.max(1000, Duration.between(now, at).toMillis())));
        return control;
    }

    /**
     * The revision to roll out: frozen once per generation, so ConfigMap/Secret edits alone never change a running
     * wave. A version frozen from a Secret before keeps that content ({@link RevisionStore#pinnedSecrets}).
     */
    private StoredRevision currentTarget(
            ConfextBundle bundle,
            ConfextBundleStatus previous,
            long generation,
            KubernetesClient client,
            RevisionStore store) {
        // A refused downgrade keeps the running target in the status: the requested one is frozen (found) anew.
        if (previous != null
                && previous.getTargetRevision() != null
                && previous.getObservedGeneration() != null
                && previous.getObservedGeneration() == generation
                && !StatusAggregator.recordsRefusedDowngrade(previous)) {
            var known = store.find(previous.getTargetRevision());
            if (known.isPresent()) {
                return known.get();
            }
        }
        String name = bundle.getMetadata().getName();
        return store.ensure(
                bundle,
                new RevisionFreezer(client, store.namespace(), store.secretCopyNamespace())
                        .frozen(name, bundle.getSpec(), store.pinnedSecrets(name)));
    }

    /**
     * {@code confext.io/undo}, like {@code kubectl rollout undo}: sets the spec back to the named revision
     * of the history (then an ordinary reconcile rolls the fleet back to it, marked) and removes the
     * annotation in the same write; a request that names nothing is removed with a Warning event.
     */
    private void consumeUndo(
            ConfextBundle bundle, String request, KubernetesClient client, RevisionStore store, BundleEvents events) {
        String name = bundle.getMetadata().getName();
        var target = undoPlanner.undoTarget(
                request, delivered(bundle.getStatus()), bundle.getSpec().getVersion());
        RevisionContent content = null;
        String problem = null;
        if (target instanceof UndoPlanner.UndoTarget.Found found) {
            content = store.content(found.to().revision()).orElse(null);
            if (content == null) {
                problem = "revision " + found.to().revision() + " of version "
                        + found.to().version() + " no longer exists";
            }
        } else {
            problem = ((UndoPlanner.UndoTarget.NotFound) target).message();
        }
        RevisionContent restore = content;
        client.resources(ConfextBundle.class).withName(name).edit(b -> {
            if (b.getMetadata().getAnnotations() != null) {
                b.getMetadata().getAnnotations().remove(UNDO_ANNOTATION);
            }
            if (restore != null) {
                SpecRestore.restore(b.getSpec(), restore);
            }
            return b;
        });
        if (problem != null) {
            events.warning(bundle, Reason.UndoRefused, "undo \"" + request + "\" not done: " + problem);
        } else {
            events.normal(
                    bundle,
                    Reason.UndoApplied,
                    "undo \"" + request + "\": spec set back from version "
                            + bundle.getSpec().getVersion() + " to " + restore.version());
        }
    }

    /** The bundle's history, newest first. */
    private static List<DeliveredVersion> delivered(ConfextBundleStatus previous) {
        if (previous == null || previous.getHistory() == null) {
            return List.of();
        }
        return previous.getHistory().stream()
                .filter(h -> h.getVersion() != null)
                .map(h -> new DeliveredVersion(h.getVersion(), h.getRevision()))
                .toList();
    }

    /** While a downgrade is refused, the rollout that was running goes on: the previous target, else the stable one. */
    private static StoredRevision running(ConfextBundleStatus previous, StoredRevision requested, RevisionStore store) {
        if (previous == null) {
            return null;
        }
        if (previous.getTargetRevision() != null
                && !previous.getTargetRevision().equals(requested.target().name())) {
            var t = store.find(previous.getTargetRevision());
            if (t.isPresent()) {
                return t.get();
            }
        }
        return store.find(previous.getCurrentRevision()).orElse(null);
    }

    /** Progress is measured from the target's creation or from the moment the rollout was last resumed. */
    private static Instant progressSince(StoredRevision target, ConfextBundleStatus previous) {
        Instant since = target.createdAt();
        Condition paused = previous == null || previous.getConditions() == null
                ? null
                : previous.getConditions().stream()
                        .filter(c -> BundleConditions.PAUSED.equals(c.getType()) && "False".equals(c.getStatus()))
                        .findFirst()
                        .orElse(null);
        if (paused != null && paused.getLastTransitionTime() != null) {
            Instant resumed = Instant.parse(paused.getLastTransitionTime());
            since = resumed.isAfter(since) ? resumed : since;
        }
        return since;
    }

    /**
     * A wave's start is decided by the node writes of this reconcile: recorded with them, the Event and its counter
     * ({@link RolloutMetrics#waveStarted}); the next reconcile does not assign those nodes again.
     */
    private void recordWaveEvent(ConfextBundle bundle, RolloutPlan plan, RevisionTarget target, BundleEvents events) {
        if (!plan.newlyAssigned().isEmpty()) {
            List<String> names = plan.newlyAssigned();
            metrics.waveStarted(bundle.getMetadata().getName(), names.size());
            events.normal(
                    bundle,
                    Reason.WaveStarted,
                    "version %s: %d node(s) started: %s%s"
                            .formatted(
                                    target.version(),
                                    names.size(),
                                    String.join(", ", names.subList(0, Math.min(5, names.size()))),
                                    names.size() > 5 ? ", ..." : ""));
        }
    }

    /**
     * Events decided against the previous status, and the counters and gauges of the same judgements
     * ({@link RolloutMetrics#planned}): recorded only with the status write that records them.
     */
    private void recordStatusEvents(
            ConfextBundle bundle,
            ConfextBundleStatus previous,
            RolloutPlan plan,
            RevisionTarget target,
            BundleEvents events) {
        Set<String> known = previous == null
                        || previous.getFailures() == null
                        || !target.name().equals(previous.getTargetRevision())
                ? Set.of()
                : previous.getFailures().stream().map(f -> f.getNode()).collect(Collectors.toSet());
        plan.failures().stream()
                .limit(StatusAggregator.MAX_FAILURES)
                .filter(f -> !known.contains(f.node()))
                .forEach(f -> events.warning(
                        bundle,
                        Reason.NodeFailed,
                        "node %s failed version %s: %s %s"
                                .formatted(
                                        f.node(),
                                        target.version(),
                                        f.reason(),
                                        f.message() == null ? "" : f.message())));
        String prevProgress = reasonOf(previous, BundleConditions.PROGRESSING);
        boolean newlyHalted =
                plan.state() == RolloutState.HALTED && !Reason.Halted.name().equals(prevProgress);
        boolean wasComplete = previous != null && target.name().equals(previous.getCurrentRevision());
        boolean newlyComplete = plan.complete() && !wasComplete;
        metrics.planned(
                bundle.getMetadata().getName(), plan, newlyHalted, newlyComplete); // the same judgements as the events
        if (newlyHalted) {
            events.warning(
                    bundle,
                    Reason.RolloutHalted,
                    "rollout of %s halted after %d failure(s)".formatted(target.version(), plan.failed()));
        }
        if (plan.rollbackStarted()) {
            events.warning(
                    bundle,
                    Reason.RollbackStarted,
                    "version %s failed; moving every node back".formatted(target.version()));
        }
        if (newlyComplete) {
            events.normal(
                    bundle,
                    Reason.RolloutComplete,
                    "version %s is on all %d targeted node(s)".formatted(target.version(), plan.targeted()));
        }
    }

    private static String reasonOf(ConfextBundleStatus s, String type) {
        if (s == null || s.getConditions() == null) {
            return null;
        }
        return s.getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .map(Condition::getReason)
                .findFirst()
                .orElse(null);
    }

    private static Map<RolloutMetrics.Phase, Integer> phaseCounts(Iterable<BundleState> states) {
        Map<RolloutMetrics.Phase, Integer> counts = new EnumMap<>(RolloutMetrics.Phase.class);
        for (BundleState s : states) {
            RolloutMetrics.Phase p = s.getPhase() == null
                    ? RolloutMetrics.Phase.NONE
                    : switch (s.getPhase()) {
                        case Pending -> RolloutMetrics.Phase.PENDING;
                        case Fetching -> RolloutMetrics.Phase.FETCHING;
                        case Verified -> RolloutMetrics.Phase.VERIFIED;
                        case Active -> RolloutMetrics.Phase.ACTIVE;
                        case Degraded -> RolloutMetrics.Phase.DEGRADED;
                        case Failed -> RolloutMetrics.Phase.FAILED;
                        case RolledBack -> RolloutMetrics.Phase.ROLLED_BACK;
                        case Removed -> RolloutMetrics.Phase.REMOVED;
                    };
            counts.merge(p, 1, Integer::sum);
        }
        return counts;
    }

    private UpdateControl<ConfextBundle> invalid(
            ConfextBundle bundle, BundleEvents events, Reason reason, String message, long generation, Instant now) {
        ConfextBundleStatus prev = bundle.getStatus();
        ConfextBundleStatus s = prev == null ? new ConfextBundleStatus() : Serialization.clone(prev);
        boolean already = prev != null
                && Objects.equals(prev.getObservedGeneration(), generation)
                && reason.name().equals(reasonOf(prev, BundleConditions.DEGRADED));
        s.setObservedGeneration(generation);
        s.setConditions(Conditions.replace(
                s.getConditions(),
                Conditions.of(
                        BundleConditions.DEGRADED, Conditions.TRUE, reason, message, generation, now.toString())));
        if (already) {
            return UpdateControl.noUpdate();
        }
        events.warning(bundle, reason, message);
        return patchStatus(bundle, s);
    }

    private static boolean sameStatus(ConfextBundleStatus a, ConfextBundleStatus b) {
        return a != null && Serialization.asJson(a).equals(Serialization.asJson(b));
    }

    /**
     * The status as a server-side apply of a fresh object that carries only the bundle's name: no
     * resourceVersion, so no optimistic lock. The operator is the status's only writer and JOSDK runs
     * one reconcile per bundle at a time; with the lock, a reconcile that started from a cache that
     * had not yet seen its predecessor's status write was refused (409) after all its node writes,
     * and JOSDK ran it again (16 of 40 status writes refused at 2,000 nodes, OperatorFleetBenchmark).
     */
    private static UpdateControl<ConfextBundle> patchStatus(ConfextBundle bundle, ConfextBundleStatus status) {
        ConfextBundle copy = new ConfextBundle();
        copy.setMetadata(
                new ObjectMetaBuilder().withName(bundle.getMetadata().getName()).build());
        copy.setStatus(status);
        return UpdateControl.patchStatus(copy);
    }

    /**
     * Deletion: take the bundle off every node, then hold the finalizer until every agent reports it
     * removed (or dropped the entry), or until the deletion timeout; then name the silent nodes.
     */
    @Override
    public DeleteControl cleanup(ConfextBundle bundle, Context<ConfextBundle> context) {
        String name = bundle.getMetadata().getName();
        NodeEntryWriter writer = new NodeEntryWriter(context.getClient(), settings.namespace());
        List<String> waiting = new ArrayList<>();
        for (ConfextNode cxn : confextNodes.byIndex(ConfextNodeEventSource.BY_BUNDLE, name)) {
            if (NodeViews.desiredEntry(cxn, name) != null) {
                writer.write(cxn, name, null);
            }
            BundleState st = NodeViews.statusEntry(cxn, name);
            if (st != null && st.getPhase() != BundlePhase.Removed) {
                waiting.add(cxn.getMetadata().getName());
            }
        }
        if (waiting.isEmpty()) {
            metrics.forget(name);
            statusPacer.forget(name);
            spacing.forget(name);
            recentWrites.forget(name);
            startedRollbacks.forget(name);
            reportClock.forget(name);
            plannedRestarts.forget(name);
            orderKeys.forget(name);
            return DeleteControl.defaultDelete();
        }
        waiting.sort(String::compareTo);
        String names = String.join(", ", waiting.subList(0, Math.min(10, waiting.size())))
                + (waiting.size() > 10 ? " and " + (waiting.size() - 10) + " more" : "");
        Instant deletedAt = Instant.parse(bundle.getMetadata().getDeletionTimestamp());
        Instant now = clock.instant();
        BundleEvents events = new BundleEvents(context.getClient(), settings.eventsNamespace(), clock);
        if (!now.isBefore(deletedAt.plus(settings.deletionTimeout()))) {
            events.warning(
                    bundle,
                    Reason.DeletionTimedOut,
                    "released after %ss; %d node(s) did not report removal: %s"
                            .formatted(settings.deletionTimeout().toSeconds(), waiting.size(), names));
            metrics.forget(name);
            statusPacer.forget(name);
            return DeleteControl.defaultDelete();
        }
        String message = "waiting for %d node(s) to report removal: %s".formatted(waiting.size(), names);
        if (!message.equals(messageOf(bundle.getStatus(), BundleConditions.TERMINATING))) {
            ConfextBundleStatus s =
                    bundle.getStatus() == null ? new ConfextBundleStatus() : Serialization.clone(bundle.getStatus());
            s.setConditions(Conditions.replace(
                    s.getConditions(),
                    Conditions.of(
                            BundleConditions.TERMINATING,
                            Conditions.TRUE,
                            Reason.WaitingForNodes,
                            message,
                            null,
                            now.toString())));
            try {
                context.getClient()
                        .resources(ConfextBundle.class)
                        .withName(name)
                        .editStatus(b -> {
                            b.setStatus(s);
                            return b;
                        });
            } catch (RuntimeException e) {
                LOG.debugf("could not write the terminating condition of %s: %s", name, e.getMessage());
            }
        }
        long left = Duration.between(now, deletedAt.plus(settings.deletionTimeout()))
                .toMillis();
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(Math.max(1000, Math.min(left + 1, 5000)));
    }

    private static String messageOf(ConfextBundleStatus s, String type) {
        if (s == null || s.getConditions() == null) {
            return null;
        }
        return s.getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .map(Condition::getMessage)
                .findFirst()
                .orElse(null);
    }
}
