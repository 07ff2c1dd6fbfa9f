package io.confext.e2e;

import io.confext.api.v1alpha1.BundleSource;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.api.v1alpha1.FailurePolicy;
import io.confext.api.v1alpha1.ImageSource;
import io.confext.api.v1alpha1.InlineFile;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.RolloutPolicy;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.v1alpha1.Verification;
import io.confext.box.BoxSettings;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;

/** Bundles for the demo service: {@code /etc/demo/demo.conf} with a line that names bundle and version. */
final class Bundles {

    private Bundles() {
    }

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
    static ConfextBundle image(String name, String version, String url, String sha256, int nodes, boolean requireSignature) {
        ConfextBundle b = demo(name, version, FailurePolicy.Halt);
        ImageSource image = new ImageSource();
        image.setUrl(url);
        image.setSha256(sha256);
        BundleSource source = new BundleSource();
        source.setImage(image);
        b.getSpec().setSource(source);
        b.getSpec().getRollout().setMaxUnavailable(new IntOrString(nodes));
        if (requireSignature) {
            Verification v = new Verification();
            v.setRequireSignature(true);
            b.getSpec().setVerification(v);
        }
        return b;
    }

    static ConfextBundle demo(String name, String version, FailurePolicy onFailure) {
        return demo(name, version, onFailure, false);
    }

    /** @param failReload the config makes the demo service's ExecReload= fail (fail_reload=yes) */
    static ConfextBundle demo(String name, String version, FailurePolicy onFailure, boolean failReload) {
        InlineFile f = new InlineFile();
        f.setPath("demo/demo.conf");
        f.setMode("0644");
        f.setContent(marker(name, version) + "\n" + (failReload ? "fail_reload=yes\n" : ""));
        BundleSource source = new BundleSource();
        source.setFiles(List.of(f));
        RolloutPolicy rollout = new RolloutPolicy();
        rollout.setMaxUnavailable(new IntOrString(1));
        rollout.setMinReadySeconds(0);
        rollout.setProgressDeadlineSeconds(300);
        rollout.setOnFailure(onFailure);
        ConfextBundleSpec spec = new ConfextBundleSpec();
        spec.setVersion(version);
        spec.setScope(Scope.Service);
        spec.setUnits(List.of(BoxSettings.DEMO_UNIT));
        spec.setSource(source);
        spec.setReload(ReloadMode.Reload);
        spec.setRollout(rollout);
        ConfextBundle b = new ConfextBundle();
        b.setMetadata(new ObjectMetaBuilder().withName(name).build());
        b.setSpec(spec);
        return b;
    }
}
