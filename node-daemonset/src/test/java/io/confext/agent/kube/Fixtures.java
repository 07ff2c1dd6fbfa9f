package io.confext.agent.kube;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSecret;
import io.confext.api.revision.ResolvedSecretFile;
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
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Objects as the operator writes them (docs/api.md). */
final class Fixtures {

    static final String NAMESPACE = "confext-system";
    static final String COPY_NAMESPACE = "confext-secret-copies";

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

    /** A Secret-sourced version for the demo service: one file, its content only in the copy Secret. */
    static RevisionContent secretContent(String version, String copy, String value, String mode) {
        return new RevisionContent(
                version,
                Scope.Service,
                List.of("demo.service"),
                ResolvedSource.ofSecret(new ResolvedSecret(
                        copy,
                        COPY_NAMESPACE,
                        "platform",
                        "demo-keys",
                        true,
                        List.of(new ResolvedSecretFile("token", "demo/token.conf", mode, sha256(value))))),
                null,
                ReloadMode.Reload,
                0);
    }

    /** A copy Secret as the operator creates it (immutable, Opaque). */
    static Secret copySecret(String name, String key, String value) {
        return new SecretBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace(COPY_NAMESPACE)
                        .build())
                .withType("Opaque")
                .withImmutable(true)
                .addToData(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
