package io.confext.e2e;

import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.FailurePolicy;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.box.BoxSettings;
import io.confext.testsupport.BundleBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;

/** Bundles for the demo service: {@code /etc/demo/demo.conf} with a line that names bundle and version. */
final class Bundles {

    private Bundles() {}

    /** The line the demo service's config has under this bundle version. */
    static String marker(String bundle, String version) {
        return "greeting=" + bundle + " " + version;
    }

    /**
     * A version of {@code name} from an image (its {@code /etc/demo/demo.conf} is {@link #marker}), assigned to
     * every node at once (maxUnavailable = all), so each node's own verdict shows.
     *
     * @param requireSignature trust: the nodes' own /etc/verity.d
     */
    static ConfextBundle image(
            String name, String version, String url, String sha256, int nodes, boolean requireSignature) {
        BundleBuilder b = demoBuilder(name, version, FailurePolicy.Halt, false)
                .image(url, sha256)
                .rollout(r -> r.setMaxUnavailable(new IntOrString(nodes)));
        return (requireSignature ? b.requireSignature() : b).build();
    }

    static ConfextBundle demo(String name, String version, FailurePolicy onFailure) {
        return demo(name, version, onFailure, false);
    }

    /** @param failReload the config makes the demo service's ExecReload= fail (fail_reload=yes) */
    static ConfextBundle demo(String name, String version, FailurePolicy onFailure, boolean failReload) {
        return demoBuilder(name, version, onFailure, failReload).build();
    }

    private static BundleBuilder demoBuilder(String name, String version, FailurePolicy onFailure, boolean failReload) {
        return BundleBuilder.bundle(name, version)
                .scope(Scope.Service)
                .units(BoxSettings.DEMO_UNIT)
                .reload(ReloadMode.Reload)
                .file("demo/demo.conf", marker(name, version) + "\n" + (failReload ? "fail_reload=yes\n" : ""), "0644")
                .rollout(r -> {
                    r.setMaxUnavailable(new IntOrString(1));
                    r.setMinReadySeconds(0);
                    r.setProgressDeadlineSeconds(300);
                    r.setOnFailure(onFailure);
                });
    }
}
