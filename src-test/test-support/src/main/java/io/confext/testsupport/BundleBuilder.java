package io.confext.testsupport;

import io.confext.api.v1alpha1.BundleSource;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.api.v1alpha1.ImageSource;
import io.confext.api.v1alpha1.InlineFile;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.RolloutPolicy;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.v1alpha1.Verification;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the {@link ConfextBundle} a test applies, as a person would write it: only the fields it is told are
 * set, so the operator's defaults still apply to the rest. One builder for every module's tests, so a change of
 * the API type is made once.
 */
public final class BundleBuilder {
    private final String name;
    private final ConfextBundleSpec spec = new ConfextBundleSpec();
    private final List<InlineFile> files = new ArrayList<>();
    private ImageSource image;
    private RolloutPolicy rollout;

    private BundleBuilder(String name, String version) {
        this.name = name;
        spec.setVersion(version);
    }

    public static BundleBuilder bundle(String name, String version) {
        return new BundleBuilder(name, version);
    }

    public BundleBuilder units(String... units) {
        spec.setUnits(List.of(units));
        return this;
    }

    /** An inline file (path under /etc) with the API's default mode. */
    public BundleBuilder file(String path, String content) {
        return file(path, content, null);
    }

    public BundleBuilder file(String path, String content, String mode) {
        InlineFile f = new InlineFile();
        f.setPath(path);
        f.setContent(content);
        if (mode != null) {
            f.setMode(mode);
        }
        files.add(f);
        return this;
    }

    /** An image source instead of inline files. */
    public BundleBuilder image(String url, String sha256) {
        image = new ImageSource();
        image.setUrl(url);
        image.setSha256(sha256);
        return this;
    }

    public BundleBuilder nodeSelector(Map<String, String> labels) {
        spec.setNodeSelector(labels);
        return this;
    }

    public BundleBuilder scope(Scope scope) {
        spec.setScope(scope);
        return this;
    }

    public BundleBuilder reload(ReloadMode mode) {
        spec.setReload(mode);
        return this;
    }

    /** Image signatures required, trusted by the nodes' own {@code /etc/verity.d}. */
    public BundleBuilder requireSignature() {
        Verification v = new Verification();
        v.setRequireSignature(true);
        spec.setVerification(v);
        return this;
    }

    /** Sets {@code spec.rollout} (made empty on first use, so the operator's defaults fill what is not set). */
    public BundleBuilder rollout(Consumer<RolloutPolicy> edit) {
        if (rollout == null) {
            rollout = new RolloutPolicy();
        }
        edit.accept(rollout);
        return this;
    }

    public ConfextBundle build() {
        BundleSource source = new BundleSource();
        if (image != null) {
            source.setImage(image);
        } else if (!files.isEmpty()) {
            source.setFiles(List.copyOf(files));
        }
        spec.setSource(image == null && files.isEmpty() ? null : source);
        spec.setRollout(rollout);
        ConfextBundle b = new ConfextBundle();
        b.setMetadata(new ObjectMetaBuilder().withName(name).build());
        b.setSpec(spec);
        return b;
    }
}
