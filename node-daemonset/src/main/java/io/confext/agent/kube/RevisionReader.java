package io.confext.agent.kube;

import io.confext.agent.apply.DesiredBundleContent;
import io.confext.agent.kube.RevisionRead.Resolved;
import io.confext.agent.kube.RevisionRead.Unresolved;
import io.confext.agent.trust.TrustProvenance;
import io.confext.api.revision.ResolvedSecret;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionCodec;
import io.confext.api.revision.RevisionContent;
import io.confext.api.revision.RevisionDigest;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.RevisionRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the ControllerRevision a desired bundle references and checks its content against the
 * digest the ConfextNode names (recomputed here: the revision's own annotation is not trusted), and
 * that its trusted certificates come from the release namespace or the node ({@link TrustProvenance}).
 * A Secret-sourced revision holds only its files' sha256: the values are fetched from the revision's
 * copy Secret by name and checked against them ({@link SecretFiles}); the bundle is handed to the host as
 * the inline files they make. Revisions and copies are immutable, so verified content is cached by
 * namespace, name and digest and fetched once.
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
        if (content.source().secret() != null) {
            var staged = secretFiles(content.source().secret());
            if (staged instanceof SecretFiles.Outcome.Refused r) {
                // a missing copy may still come (or its Role be fixed): asked again; a changed one never matches
                return r.reason() == Reason.SecretUnavailable
                        ? new Unresolved(BundlePhase.Pending, r.reason(), r.message(), true)
                        : Unresolved.refused(r.reason(), r.message());
            }
            // the host stages the checked values as inline files; the digest stays the revision's
            content = withFiles(content, ((SecretFiles.Outcome.Files) staged).files());
        }
        verified.put(key, content);
        return resolved(bundle, content);
    }

    /**
     * Gets the copy Secret by name, in the namespace the revision names (digest-checked, written by the operator; the
     * agent's Role lets it get Secrets only in the chart's copy namespace, never list them).
     */
    private SecretFiles.Outcome secretFiles(ResolvedSecret secret) {
        String namespace = secret.copyNamespace();
        String where = "Secret " + namespace + "/" + secret.copy();
        Secret copy;
        try {
            copy = client.secrets()
                    .inNamespace(namespace)
                    .withName(secret.copy())
                    .get();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
            return new SecretFiles.Outcome.Refused(
                    Reason.SecretUnavailable,
                    "the agent may not get " + where
                            + " (HTTP 403): its Role needs get on Secrets in the copy namespace (chart agent-rbac.yaml)");
        }
        Map<String, String> data = copy == null ? null : (copy.getData() == null ? Map.of() : copy.getData());
        return SecretFiles.check(secret, data, where);
    }

    private static RevisionContent withFiles(
            RevisionContent c, java.util.List<io.confext.api.revision.ResolvedFile> f) {
        return new RevisionContent(
                c.version(),
                c.scope(),
                c.units(),
                ResolvedSource.ofFiles(f),
                c.verification(),
                c.reload(),
                c.priority(),
                c.healthChecks(),
                c.firstAttach());
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
