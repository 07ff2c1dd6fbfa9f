package io.confext.agent.kube;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionCodec;
import io.confext.api.revision.RevisionContent;
import io.confext.api.revision.RevisionDigest;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeSpec;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.RevisionRef;
import io.confext.api.v1alpha1.Scope;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import java.util.List;
import java.util.Map;

/** Objects as the operator writes them (docs/api.md). */
final class Fixtures {

    static final String NAMESPACE = "confext-system";

    private Fixtures() {}

    /** An inline-files bundle version for the demo service. */
    static RevisionContent content(String version) {
        return new RevisionContent(
                version,
                Scope.Service,
                List.of("demo.service"),
                ResolvedSource.ofFiles(List.of(new ResolvedFile("demo.conf", "value=" + version + "\n", "0644"))),
                null,
                ReloadMode.Reload,
                50);
    }

    static ControllerRevision revision(String name, RevisionContent content) {
        return new ControllerRevisionBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace(NAMESPACE)
                        .withAnnotations(Map.of("confext.io/digest", RevisionDigest.of(content)))
                        .build())
                .withData(RevisionCodec.toData(content))
                .withRevision(1L)
                .build();
    }

    static DesiredBundle desired(String bundle, String revisionName, RevisionContent content) {
        return desired(bundle, revisionName, RevisionDigest.of(content), content.version());
    }

    static DesiredBundle desired(String bundle, String revisionName, String digest, String version) {
        RevisionRef ref = new RevisionRef();
        ref.setName(revisionName);
        ref.setNamespace(NAMESPACE);
        ref.setDigest(digest);
        DesiredBundle b = new DesiredBundle();
        b.setName(bundle);
        b.setVersion(version);
        b.setRevision(ref);
        return b;
    }

    static ConfextNode node(String name, DesiredBundle... bundles) {
        ConfextNode node = new ConfextNode();
        node.setMetadata(new ObjectMetaBuilder().withName(name).build());
        ConfextNodeSpec spec = new ConfextNodeSpec();
        spec.setBundles(List.of(bundles));
        node.setSpec(spec);
        return node;
    }
}
