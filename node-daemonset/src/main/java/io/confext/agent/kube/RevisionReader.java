package io.confext.agent.kube;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.kube.RevisionRead.Resolved;
import io.confext.agent.kube.RevisionRead.Unresolved;
import io.confext.agent.trust.TrustProvenance;
import io.confext.api.revision.RevisionCodec;
import io.confext.api.revision.RevisionContent;
import io.confext.api.revision.RevisionDigest;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.RevisionRef;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the ControllerRevision a desired bundle references and checks its content against the
 * digest the ConfextNode names (recomputed here: the revision's own annotation is not trusted), and
 * that its trusted certificates come from the release namespace or the node ({@link TrustProvenance}).
 * Revisions are immutable, so verified content is cached by namespace, name and digest and
 * fetched once.
 * <p>
 * API errors other than "not found" are thrown ({@link KubernetesClientException}): the work loop
 * retries the whole pass with backoff and leaves the host alone meanwhile.
 */
public final class RevisionReader {

    private record Key(String namespace, String name, String digest) {}

    private final KubernetesClient client;
    private final Map<Key, RevisionContent> verified = new ConcurrentHashMap<>();

    public RevisionReader(KubernetesClient client) {
        this.client = client;
    }

    public RevisionRead read(DesiredBundle bundle) {
        RevisionRef ref = bundle.getRevision();
        if (ref == null || blank(ref.getName()) || blank(ref.getNamespace()) || blank(ref.getDigest())) {
            return Unresolved.refused(
                    Reason.InvalidDesiredBundle,
                    "spec.bundles[" + bundle.getName()
                            + "].revision needs name, namespace and digest; the operator wrote an incomplete reference");
        }
        Key key = new Key(ref.getNamespace(), ref.getName(), ref.getDigest());
        RevisionContent cached = verified.get(key);
        if (cached != null) {
            return resolved(bundle, cached);
        }
        String where = "ControllerRevision " + ref.getNamespace() + "/" + ref.getName();
        ControllerRevision revision = client.apps()
                .controllerRevisions()
                .inNamespace(ref.getNamespace())
                .withName(ref.getName())
                .get();
        if (revision == null) {
            return Unresolved.missing(where + " does not exist (yet); retrying");
        }
        RevisionContent content;
        try {
            content = RevisionCodec.fromData(revision.getData());
        } catch (IllegalArgumentException e) {
            return Unresolved.refused(Reason.InvalidRevision, where + ": " + e.getMessage());
        }
        String actual = RevisionDigest.of(content);
        if (!actual.equals(ref.getDigest())) {
            return Unresolved.refused(
                    Reason.DigestMismatch,
                    where + " content has digest " + actual + " but the ConfextNode expects " + ref.getDigest()
                            + "; refusing it");
        }
        var untrusted = TrustProvenance.check(ref.getNamespace(), content.verification());
        if (untrusted.isPresent()) {
            return Unresolved.refused(
                    Reason.valueOf(untrusted.get().reason()),
                    where + ": " + untrusted.get().message());
        }
        verified.put(key, content);
        return resolved(bundle, content);
    }

    private static Resolved resolved(DesiredBundle bundle, RevisionContent content) {
        RevisionRef ref = bundle.getRevision();
        return new Resolved(new DesiredBundleContent(
                bundle.getName(),
                ref.getName(),
                ref.getDigest(),
                Boolean.TRUE.equals(bundle.getRollback()),
                content,
                bundle.getMinReadySeconds() == null ? 0 : Math.max(0, bundle.getMinReadySeconds())));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
