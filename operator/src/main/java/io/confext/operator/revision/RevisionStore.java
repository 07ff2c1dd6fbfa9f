package io.confext.operator.revision;

import io.confext.api.revision.RevisionCodec;
import io.confext.api.revision.RevisionContent;
import io.confext.api.revision.RevisionDigest;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.operator.rollout.RevisionTarget;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The immutable ControllerRevisions of bundles: one per content digest, named
 * {@code <bundle>-<first 10 hex of the digest>}, owned by the bundle (garbage-collected with it),
 * labelled {@code confext.io/bundle}, at most {@value #KEEP} kept. A Secret source's copy Secret is
 * created with its revision and deleted when the revision is pruned ({@link SecretCopies}).
 */
public final class RevisionStore {
    public static final String BUNDLE_LABEL = "confext.io/bundle";
    public static final String DIGEST_ANNOTATION = "confext.io/digest";
    public static final String VERSION_ANNOTATION = "confext.io/version";
    public static final int KEEP = 10;

    private final KubernetesClient client;
    private final String namespace;
    private final String secretCopyNamespace;

    /** The operator's namespace, where the revisions live. */
    public String namespace() {
        return namespace;
    }

    public RevisionStore(KubernetesClient client, String namespace) {
        this(client, namespace, namespace);
    }

    /** @param secretCopyNamespace where the copies of Secret sources live (the chart's dedicated namespace) */
    public RevisionStore(KubernetesClient client, String namespace, String secretCopyNamespace) {
        this.client = client;
        this.namespace = namespace;
        this.secretCopyNamespace = secretCopyNamespace;
    }

    /** Where the copies of Secret sources live. */
    public String secretCopyNamespace() {
        return secretCopyNamespace;
    }

    public static String nameFor(String bundle, String digest) {
        String hex =
                digest.startsWith(RevisionDigest.PREFIX) ? digest.substring(RevisionDigest.PREFIX.length()) : digest;
        return bundle + "-" + hex.substring(0, 10);
    }

    /** The revision of {@code content}, created when it does not exist yet. */
    public StoredRevision ensure(ConfextBundle bundle, RevisionContent content) {
        return ensure(bundle, new FrozenRevision(content, Optional.empty()));
    }

    /**
     * The revision of {@code frozen}, created when it does not exist yet, and its copy Secret beside it (before the
     * revision is returned, so no node is pointed at a revision whose copy is missing).
     */
    public StoredRevision ensure(ConfextBundle bundle, FrozenRevision frozen) {
        ControllerRevision cr = ensureRevision(bundle, frozen.content());
        frozen.copy().ifPresent(copy -> new SecretCopies(client, secretCopyNamespace).ensure(cr, bundle, copy));
        return stored(cr);
    }

    /**
     * The Secret source a version of {@code bundle} was frozen from before, when it is the same Secret with the same
     * items and its copy still exists ({@link PinnedSecrets}).
     */
    public PinnedSecrets pinnedSecrets(String bundle) {
        return (version, source) -> list(bundle).stream()
                .filter(cr -> {
                    var ann = cr.getMetadata().getAnnotations();
                    return ann == null || version.equals(ann.get(VERSION_ANNOTATION));
                })
                .sorted(Comparator.comparingLong(ControllerRevision::getRevision)
                        .reversed())
                .map(cr -> RevisionCodec.fromData(cr.getData()))
                .filter(c -> c.version().equals(version) && c.source().secret() != null)
                .map(c -> c.source().secret())
                .filter(s -> SecretPins.sameSource(s, source))
                .filter(s -> new SecretCopies(client, s.copyNamespace()).exists(s.copy()))
                .findFirst();
    }

    private ControllerRevision ensureRevision(ConfextBundle bundle, RevisionContent content) {
        String digest = RevisionDigest.of(content);
        String name = nameFor(bundle.getMetadata().getName(), digest);
        ControllerRevision existing = client.apps()
                .controllerRevisions()
                .inNamespace(namespace)
                .withName(name)
                .get();
        if (existing != null) {
            return existing;
        }
        List<ControllerRevision> earlier = list(bundle.getMetadata().getName());
        refuseReusedVersion(bundle.getMetadata().getName(), content, earlier);
        long next = earlier.stream()
                        .mapToLong(ControllerRevision::getRevision)
                        .max()
                        .orElse(0)
                + 1;
        ControllerRevision cr = new ControllerRevisionBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .addToLabels(BUNDLE_LABEL, bundle.getMetadata().getName())
                .addToAnnotations(DIGEST_ANNOTATION, digest)
                .addToAnnotations(VERSION_ANNOTATION, content.version())
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(bundle.getApiVersion())
                        .withKind(bundle.getKind())
                        .withName(bundle.getMetadata().getName())
                        .withUid(bundle.getMetadata().getUid())
                        .withController(true)
                        .withBlockOwnerDeletion(false)
                        .build())
                .endMetadata()
                .withRevision(next)
                .withData(RevisionCodec.toData(content))
                .build();
        try {
            return client.apps()
                    .controllerRevisions()
                    .inNamespace(namespace)
                    .resource(cr)
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) { // another reconcile (or a restarted operator) created it first
                return client.apps()
                        .controllerRevisions()
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
            }
            throw e;
        }
    }

    /**
     * A version names one content. Agents keep versions on the host by their version (the {@code .v/} entry
     * {@code <bundle>_<version>}) and prove what a unit sees by it, so new files under an old version would never
     * reach a node that has it, and the status could not tell the two apart. Other revision fields (units,
     * priority, reload, trust) may change under the same version.
     */
    static void refuseReusedVersion(String bundle, RevisionContent content, List<ControllerRevision> earlier) {
        for (ControllerRevision cr : earlier) {
            var ann = cr.getMetadata().getAnnotations();
            String version = ann == null ? null : ann.get(VERSION_ANNOTATION);
            if (version != null && !version.equals(content.version())) {
                continue;
            }
            RevisionContent was = RevisionCodec.fromData(cr.getData());
            if (was.version().equals(content.version()) && !was.source().equals(content.source())) {
                throw new UnresolvableBundleException(
                        Reason.VersionReused,
                        "version " + content.version() + " of bundle " + bundle
                                + " was frozen as revision " + cr.getMetadata().getName()
                                + " with other content (files, ConfigMap data, Secret digests or"
                                + " image); a version names one content: raise spec.version to roll out the change, or restore the content");
            }
        }
    }

    public Optional<StoredRevision> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(client.apps()
                        .controllerRevisions()
                        .inNamespace(namespace)
                        .withName(name)
                        .get())
                .map(RevisionStore::stored);
    }

    /** The frozen content of a revision, when it still exists. */
    public Optional<RevisionContent> content(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(client.apps()
                        .controllerRevisions()
                        .inNamespace(namespace)
                        .withName(name)
                        .get())
                .map(cr -> RevisionCodec.fromData(cr.getData()));
    }

    public List<ControllerRevision> list(String bundle) {
        return client.apps()
                .controllerRevisions()
                .inNamespace(namespace)
                .withLabel(BUNDLE_LABEL, bundle)
                .list()
                .getItems();
    }

    /** Deletes all but the newest {@value #KEEP} revisions of a bundle, never one still in use. */
    public int prune(String bundle, Set<String> inUse) {
        List<ControllerRevision> all = list(bundle).stream()
                .sorted(Comparator.comparingLong(ControllerRevision::getRevision)
                        .reversed())
                .toList();
        int deleted = 0;
        for (ControllerRevision cr : all.subList(Math.min(KEEP, all.size()), all.size())) {
            if (!inUse.contains(cr.getMetadata().getName())) {
                // the copy first, so it never outlives its revision (its owner is the bundle: an owner in another
                // namespace is not allowed); a failed delete is retried with the next prune, as the revision stays
                copyOf(cr).ifPresent(s -> new SecretCopies(client, s.copyNamespace()).delete(s.copy()));
                client.apps()
                        .controllerRevisions()
                        .inNamespace(namespace)
                        .withName(cr.getMetadata().getName())
                        .delete();
                deleted++;
            }
        }
        return deleted;
    }

    private static Optional<io.confext.api.revision.ResolvedSecret> copyOf(ControllerRevision cr) {
        try {
            return Optional.ofNullable(
                    RevisionCodec.fromData(cr.getData()).source().secret());
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a confext revision: it has no copy
        }
    }

    static StoredRevision stored(ControllerRevision cr) {
        var ann = cr.getMetadata().getAnnotations();
        String digest = ann == null ? null : ann.get(DIGEST_ANNOTATION);
        String version = ann == null ? null : ann.get(VERSION_ANNOTATION);
        if (digest == null || version == null) {
            RevisionContent c = RevisionCodec.fromData(cr.getData());
            digest = digest == null ? RevisionDigest.of(c) : digest;
            version = version == null ? c.version() : version;
        }
        String ts = cr.getMetadata().getCreationTimestamp();
        return new StoredRevision(
                new RevisionTarget(cr.getMetadata().getName(), digest, version),
                cr.getRevision() == null ? 0 : cr.getRevision(),
                ts == null ? Instant.EPOCH : Instant.parse(ts));
    }
}
