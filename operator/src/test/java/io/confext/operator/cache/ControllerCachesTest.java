package io.confext.operator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.operator.OperatorSettings;
import io.confext.operator.bundle.BundleReconciler;
import io.confext.operator.node.NodeReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The controllers' own (primary) informers get the trimming stores through JOSDK's configuration
 * overrider, the way OperatorAssembly registers them: the resolved configuration carries them.
 */
class ControllerCachesTest {

    static <R extends HasMetadata> ControllerConfiguration<R> resolved(ConfigurableReconciler<R> reconciler) {
        @SuppressWarnings("unchecked")
        ControllerConfiguration<R> base = new BaseConfigurationService()
                .getConfigurationFor((io.javaoperatorsdk.operator.api.reconciler.Reconciler<R>) reconciler);
        ControllerConfigurationOverrider<R> overrider = ControllerConfigurationOverrider.override(base);
        reconciler.updateConfigurationFrom(overrider);
        return overrider.build();
    }

    @Test
    void nodeControllerCachesTrimmedNodesListedInPages() {
        var config = resolved(new NodeReconciler());
        assertThat(config.getInformerConfig().getItemStore()).isInstanceOf(TrimmingItemStore.class);
        assertThat(config.getInformerConfig().getInformerListLimit()).isEqualTo(BundleReconciler.LIST_PAGE);
    }

    @Test
    void bundleControllerCachesBundlesWithoutManagedFields() {
        var config = resolved(new BundleReconciler(
                new OperatorSettings("confext-system", Duration.ofMinutes(5), "default"),
                Clock.systemUTC(),
                new SimpleMeterRegistry()));
        assertThat(config.getInformerConfig().getItemStore()).isInstanceOf(TrimmingItemStore.class);
        assertThat(config.getName()).isEqualTo(BundleReconciler.NAME);
    }
}
