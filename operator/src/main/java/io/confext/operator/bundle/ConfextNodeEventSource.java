package io.confext.operator.bundle;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.operator.cache.CacheTrim;
import io.confext.operator.cache.TrimmingItemStore;
import io.confext.operator.node.ConfextNodeChange;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bundle reconciler's cache of every ConfextNode, and its event source: an update of a node wakes only
 * the bundles it concerns ({@link ConfextNodeChange}), a new or deleted node every bundle. Before, every
 * ConfextNode event reconciled every bundle (2,000 nodes x 20 bundles: each agent report cost 20 reconciles'
 * share). JOSDK hands a secondary-to-primary mapper only the new object, so this source computes the change
 * from the old and the new object as the informer delivers the update, and its mapper answers from that.
 * The cache is indexed by bundle ({@link #BY_BUNDLE}): a reconcile reads the nodes that carry its bundle's
 * entries from the index.
 */
final class ConfextNodeEventSource extends InformerEventSource<ConfextNode, ConfextBundle> {
    /** Index of the cache: the names of the bundles a node has a desired entry or a reported state for. */
    static final String BY_BUNDLE = "bundle";

    private final ChangeMapper mapper;

    private ConfextNodeEventSource(
            InformerEventSourceConfiguration<ConfextNode> configuration,
            ChangeMapper mapper,
            EventSourceContext<ConfextBundle> context) {
        super(configuration, context);
        this.mapper = mapper;
        addIndexers(Map.of(BY_BUNDLE, ConfextNodeEventSource::bundlesOf));
    }

    static ConfextNodeEventSource create(EventSourceContext<ConfextBundle> context, long listPage) {
        ChangeMapper mapper = new ChangeMapper(context);
        // The node keeps only what the reconciler reads (CacheTrim) and lists in pages, so that the first list of a
        // large cluster is not one huge response held at once. JOSDK's own secondary-to-primary index is off (a
        // primary-to-secondary mapper is given): the reconciler reads the cache and this index, and JOSDK's would
        // hold every node for every bundle and call the mapper a second time on every event.
        var configuration = InformerEventSourceConfiguration.from(ConfextNode.class, ConfextBundle.class)
                .withName("confextnodes")
                .withSecondaryToPrimaryMapper(mapper)
                .withPrimaryToSecondaryMapper((ConfextBundle b) -> Set.<ResourceID>of())
                .withItemStore(new TrimmingItemStore<>(CacheTrim::confextNode))
                .withInformerListLimit(listPage)
                .build();
        return new ConfextNodeEventSource(configuration, mapper, context);
    }

    /**
     * JOSDK maps the update inside this call, on the informer's event thread; the monitor is the one JOSDK's
     * own update handling holds, so the mapper reads the change of exactly this update.
     */
    @Override
    public synchronized void onUpdate(ConfextNode newObject, ConfextNode oldObject) {
        mapper.update = ConfextNodeChange.between(oldObject, newObject);
        try {
            super.onUpdate(newObject, oldObject);
        } finally {
            mapper.update = null;
        }
    }

    static List<String> bundlesOf(ConfextNode cxn) {
        List<String> names = new ArrayList<>();
        if (cxn.getSpec() != null && cxn.getSpec().getBundles() != null) {
            cxn.getSpec().getBundles().forEach(d -> names.add(d.getName()));
        }
        if (cxn.getStatus() != null && cxn.getStatus().getBundles() != null) {
            cxn.getStatus().getBundles().forEach(s -> {
                if (!names.contains(s.getName())) {
                    names.add(s.getName());
                }
            });
        }
        return names;
    }

    private static final class ChangeMapper implements SecondaryToPrimaryMapper<ConfextNode> {
        private final EventSourceContext<ConfextBundle> context;
        /** The update being delivered, set and read under the event source's monitor; null for adds and deletes. */
        private ConfextNodeChange.Concerned update;

        ChangeMapper(EventSourceContext<ConfextBundle> context) {
            this.context = context;
        }

        @Override
        public Set<ResourceID> toPrimaryResourceIDs(ConfextNode cxn) {
            ConfextNodeChange.Concerned concerned = update;
            if (concerned == null || concerned.everyBundle()) {
                return context.getPrimaryCache()
                        .list()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet());
            }
            return concerned.bundles().stream()
                    .map(ResourceID::new)
                    .filter(id -> context.getPrimaryCache().get(id).isPresent())
                    .collect(Collectors.toSet());
        }
    }
}
