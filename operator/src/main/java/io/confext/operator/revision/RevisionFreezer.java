package io.confext.operator.revision;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.ResolvedVerification;
import io.confext.api.revision.RevisionContent;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundleSource;
import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.api.v1alpha1.ConfigMapItem;
import io.confext.api.v1alpha1.ImageSource;
import io.confext.api.v1alpha1.SecretSource;
import io.confext.api.v1alpha1.TrustSource;
import io.confext.api.v1alpha1.Verification;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Freezes a bundle spec into {@link RevisionContent}: inline files copied, a ConfigMap's keys
 * turned into files, trusted certificates copied out of the Secret as PEM, a source Secret's keys
 * turned into file digests plus a copy Secret ({@link SecretSourceFreezer}). After this the agent
 * needs nothing else from the cluster but that copy, and later edits of the ConfigMap or Secrets do
 * not change a revision that exists.
 */
public final class RevisionFreezer {
    private static final String DOCKER_CONFIG_TYPE = "kubernetes.io/dockerconfigjson";
    private static final String DOCKER_CONFIG_KEY = ".dockerconfigjson";

    private final KubernetesClient client;
    private final OciResolver oci;
    private final String secretCopyNamespace;

    /** Pull Secrets of OCI sources are read from the client's namespace. */
    public RevisionFreezer(KubernetesClient client) {
        this(client, client == null ? null : client.getNamespace());
    }

    /** @param namespace the operator's namespace: the only one pull Secrets of OCI sources are read from */
    public RevisionFreezer(KubernetesClient client, String namespace) {
        this(client, namespace, namespace);
    }

    public RevisionFreezer(KubernetesClient client, OciResolver oci) {
        this(client, oci, client == null ? null : client.getNamespace());
    }

    /**
     * @param namespace the operator's namespace: the only one pull Secrets of OCI sources are read from
     * @param secretCopyNamespace where the copies of Secret sources go (the chart's dedicated namespace)
     */
    public RevisionFreezer(KubernetesClient client, String namespace, String secretCopyNamespace) {
        this(
                client,
                new OciResolver(name -> pullSecret(client, namespace, name), java.util.Optional.empty()),
                secretCopyNamespace);
    }

    private RevisionFreezer(KubernetesClient client, OciResolver oci, String secretCopyNamespace) {
        this.client = client;
        this.oci = oci;
        this.secretCopyNamespace = secretCopyNamespace;
    }

    private static java.util.Optional<byte[]> pullSecret(KubernetesClient client, String namespace, String name) {
        Secret s = client.secrets().inNamespace(namespace).withName(name).get();
        if (s == null) {
            return java.util.Optional.empty();
        }
        if (!DOCKER_CONFIG_TYPE.equals(s.getType())
                || s.getData() == null
                || !s.getData().containsKey(DOCKER_CONFIG_KEY)) {
            throw new io.confext.api.oci.OciFailure(
                    Reason.InvalidPullSecret,
                    "pull Secret " + namespace + "/" + name + " is of type " + s.getType() + ", not "
                            + DOCKER_CONFIG_TYPE + " with a " + DOCKER_CONFIG_KEY + " key");
        }
        return java.util.Optional.of(Base64.getDecoder().decode(s.getData().get(DOCKER_CONFIG_KEY)));
    }

    /**
     * The content alone, for specs without a Secret source (a Secret source's copy is dropped: use {@link #frozen}).
     *
     * @throws UnresolvableBundleException with a message a person can act on
     */
    public RevisionContent freeze(ConfextBundleSpec spec) {
        return frozen("bundle", spec, PinnedSecrets.NONE).content();
    }

    /**
     * The content and, for a Secret source read now, the copy Secret to create beside the revision.
     *
     * @param bundle the bundle's name (a Secret source's copy is named after it)
     * @param pinned the earlier freezes of this bundle's versions from a Secret
     * @throws UnresolvableBundleException with a message a person can act on
     */
    public FrozenRevision frozen(String bundle, ConfextBundleSpec spec, PinnedSecrets pinned) {
        if (spec == null || spec.getVersion() == null) {
            throw new UnresolvableBundleException(Reason.InvalidSpec, "spec.version is required");
        }
        java.util.Optional<SecretCopy> copy = java.util.Optional.empty();
        ResolvedSource source;
        if (spec.getSource() != null && spec.getSource().getSecret() != null && count(spec.getSource()) == 1) {
            SecretSource secret = spec.getSource().getSecret();
            var earlier = pinned.find(spec.getVersion(), secret);
            if (earlier.isPresent()) {
                source = ResolvedSource.ofSecret(earlier.get());
            } else {
                SecretSourceFreezer.Frozen f = secret(bundle, secret);
                source = ResolvedSource.ofSecret(f.resolved());
                copy = java.util.Optional.of(f.copy());
            }
        } else {
            source = source(spec.getSource());
        }
        ResolvedVerification verification = source.image() == null ? null : verification(spec.getVerification());
        return new FrozenRevision(content(spec, source, verification), copy);
    }

    private static RevisionContent content(
            ConfextBundleSpec spec, ResolvedSource source, ResolvedVerification verification) {
        return new RevisionContent(
                spec.getVersion(),
                spec.getScope(),
                spec.getUnits(),
                source,
                verification,
                spec.getReload(),
                spec.getPriority() == null ? 0 : spec.getPriority(),
                HealthCheckFreezer.freeze(spec),
                spec.getFirstAttach());
    }

    private static int count(BundleSource s) {
        return (s.getImage() != null ? 1 : 0)
                + (s.getOci() != null ? 1 : 0)
                + (s.getFiles() != null ? 1 : 0)
                + (s.getConfigMapRef() != null ? 1 : 0)
                + (s.getSecret() != null ? 1 : 0);
    }

    /** Reads only the Secret the spec names, by name, and keeps of it only the keys the files need. */
    private SecretSourceFreezer.Frozen secret(String bundle, SecretSource s) {
        String ns = s.getNamespace();
        String name = s.getName();
        if (ns == null || name == null) {
            throw new UnresolvableBundleException(Reason.InvalidSpec, "spec.source.secret needs name and namespace");
        }
        Secret secret = readable(
                () -> client.secrets().inNamespace(ns).withName(name).get(),
                Reason.SourceNamespaceNotAllowed,
                "the operator may not read Secrets in namespace " + ns
                        + " (spec.source.secret): only the namespaces of the chart value operator.sourceNamespaces"
                        + " and its own; move the Secret or add the namespace there");
        if (secret == null) {
            throw new UnresolvableBundleException(
                    Reason.SourceSecretNotFound,
                    "Secret " + ns + "/" + name + " named in spec.source.secret does not exist");
        }
        return SecretSourceFreezer.freeze(bundle, secretCopyNamespace, s, secret.getData());
    }

    private ResolvedSource source(BundleSource s) {
        if (s == null) {
            throw new UnresolvableBundleException(
                    Reason.InvalidSpec, "spec.source is required: one of image, oci, files, configMapRef, secret");
        }
        int given = count(s);
        if (given != 1) {
            throw new UnresolvableBundleException(
                    Reason.InvalidSpec,
                    "spec.source needs exactly one of image, oci, files, configMapRef, secret (found " + given + ")");
        }
        if (s.getOci() != null) {
            return ResolvedSource.ofImage(oci.resolve(s.getOci()));
        }
        if (s.getImage() != null) {
            ImageSource i = s.getImage();
            return ResolvedSource.ofImage(new ResolvedImage(
                    i.getUrl(), i.getSha256(), Boolean.TRUE.equals(i.getAllowInsecureHttp()), i.getSizeLimitBytes()));
        }
        if (s.getFiles() != null) {
            List<ResolvedFile> files = new ArrayList<>();
            s.getFiles()
                    .forEach(f -> files.add(
                            new ResolvedFile(f.getPath(), f.getContent() == null ? "" : f.getContent(), f.getMode())));
            return ResolvedSource.ofFiles(files);
        }
        String ns = s.getConfigMapRef().getNamespace();
        String name = s.getConfigMapRef().getName();
        if (ns == null || name == null) {
            throw new UnresolvableBundleException(
                    Reason.InvalidSpec, "spec.source.configMapRef needs name and namespace");
        }
        ConfigMap cm = readable(
                () -> client.configMaps().inNamespace(ns).withName(name).get(),
                Reason.SourceNamespaceNotAllowed,
                "the operator may not read ConfigMaps in namespace " + ns
                        + " (spec.source.configMapRef): only the namespaces "
                        + "of the chart value operator.sourceNamespaces and its own; move the ConfigMap or add the namespace there");
        if (cm == null) {
            throw new UnresolvableBundleException(
                    Reason.ConfigMapNotFound,
                    "ConfigMap " + ns + "/" + name + " named in spec.source.configMapRef does not exist");
        }
        if (cm.getBinaryData() != null && !cm.getBinaryData().isEmpty()) {
            throw new UnresolvableBundleException(
                    Reason.InvalidConfigMap,
                    "ConfigMap " + ns + "/" + name
                            + " has binaryData; only text keys become files (use an image source for binary content)");
        }
        Map<String, String> data = cm.getData() == null ? Map.of() : cm.getData();
        List<ConfigMapItem> items = s.getConfigMapRef().getItems();
        List<ResolvedFile> files =
                items == null || items.isEmpty() ? everyKey(data) : projected(ns + "/" + name, data, items);
        if (files.isEmpty()) {
            throw new UnresolvableBundleException(
                    Reason.InvalidConfigMap, "ConfigMap " + ns + "/" + name + " has no data keys");
        }
        return ResolvedSource.ofFiles(files);
    }

    /** Without items each key is a file directly under /etc (ConfigMap keys cannot hold '/'); sorted for a stable digest. */
    private static List<ResolvedFile> everyKey(Map<String, String> data) {
        List<ResolvedFile> files = new ArrayList<>();
        new TreeMap<>(data).forEach((k, v) -> files.add(new ResolvedFile(k, v, null)));
        return files;
    }

    /**
     * With items only the listed keys, each at its path and mode, in the items' order (the order is the user's, so a
     * reordering is a content change only if the spec changed too). A listed key the ConfigMap lacks is refused, as a
     * ConfigMap volume without {@code optional} refuses it, rather than shipping a version without that file.
     */
    private static List<ResolvedFile> projected(String configMap, Map<String, String> data, List<ConfigMapItem> items) {
        List<ResolvedFile> files = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ConfigMapItem item = items.get(i);
            String value = data.get(item.getKey());
            if (value == null) {
                throw new UnresolvableBundleException(
                        Reason.InvalidConfigMap,
                        "ConfigMap " + configMap + " has no key \"" + item.getKey()
                                + "\" named in spec.source.configMapRef.items[" + i + "]; keys: "
                                + new TreeMap<>(data).keySet());
            }
            files.add(new ResolvedFile(item.getPath(), value, item.getMode()));
        }
        return files;
    }

    /**
     * The chart grants ConfigMap and Secret reads only in allow-listed namespaces, and the admission
     * policy refuses bundles naming others; a bundle admitted before the lists changed (or without
     * the policy) gets a reason that says which list to change, not a bare 403.
     */
    private static <T> T readable(Supplier<T> read, Reason reason, String message) {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                throw new UnresolvableBundleException(reason, message);
            }
            throw e;
        }
    }

    private ResolvedVerification verification(Verification v) {
        if (v == null) {
            return new ResolvedVerification(false, TrustSource.Node, List.of());
        }
        boolean require = Boolean.TRUE.equals(v.getRequireSignature());
        TrustSource trust = v.getTrust() == null ? TrustSource.Node : v.getTrust();
        if (trust != TrustSource.Secret) {
            return new ResolvedVerification(require, trust, List.of());
        }
        if (v.getSecretRef() == null
                || v.getSecretRef().getName() == null
                || v.getSecretRef().getNamespace() == null) {
            throw new UnresolvableBundleException(
                    Reason.InvalidSpec, "spec.verification.trust Secret needs secretRef with name and namespace");
        }
        String ns = v.getSecretRef().getNamespace();
        String name = v.getSecretRef().getName();
        Secret secret = readable(
                () -> client.secrets().inNamespace(ns).withName(name).get(),
                Reason.TrustNamespaceNotAllowed,
                "the operator may not read Secret " + ns + "/" + name
                        + " (spec.verification.secretRef): trust Secrets are read "
                        + "only from the operator's own namespace; create the Secret there or use trust: Node");
        if (secret == null) {
            throw new UnresolvableBundleException(
                    Reason.SecretNotFound, "trust Secret " + ns + "/" + name + " does not exist");
        }
        List<String> pems = new ArrayList<>();
        new TreeMap<>(secret.getData() == null ? Map.<String, String>of() : secret.getData()).forEach((k, b64) -> {
            if (k.endsWith(".crt")) {
                String pem = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
                if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
                    throw new UnresolvableBundleException(
                            Reason.InvalidTrustSecret,
                            "key " + k + " of Secret " + ns + "/" + name + " is not a PEM certificate");
                }
                pems.add(pem);
            }
        });
        if (pems.isEmpty()) {
            throw new UnresolvableBundleException(
                    Reason.InvalidTrustSecret,
                    "Secret " + ns + "/" + name + " has no *.crt key with a PEM certificate");
        }
        // the namespace is recorded so the agent can refuse certificates from anywhere but the release namespace
        return new ResolvedVerification(require, trust, pems, ns);
    }
}
