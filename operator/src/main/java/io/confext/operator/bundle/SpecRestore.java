package io.confext.operator.bundle;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedHealthCheck;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedSecret;
import io.confext.api.revision.ResolvedSecretFile;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundleSource;
import io.confext.api.v1alpha1.CheckNamespace;
import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.api.v1alpha1.ExecCheck;
import io.confext.api.v1alpha1.HealthCheck;
import io.confext.api.v1alpha1.HttpGetCheck;
import io.confext.api.v1alpha1.HttpScheme;
import io.confext.api.v1alpha1.ImageSource;
import io.confext.api.v1alpha1.InlineFile;
import io.confext.api.v1alpha1.OciSource;
import io.confext.api.v1alpha1.SecretItem;
import io.confext.api.v1alpha1.SecretSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets a bundle spec back to a frozen revision, for {@code confext.io/undo}: version, source,
 * units, scope, reload, priority, first attachment and health checks as frozen, so that freezing the result gives the same content
 * (and so the same revision) again. The rollout policy, node selector and verification stay as
 * they are. A ConfigMap source comes back as the inline files frozen from it: the ConfigMap may
 * have changed since, and the undo must restore what the nodes had. A Secret source comes back as
 * the Secret it named (its values may not go into a spec); the version's copy Secret gives the
 * same content again. Pure.
 */
final class SpecRestore {
    private SpecRestore() {}

    static void restore(ConfextBundleSpec spec, RevisionContent content) {
        spec.setVersion(content.version());
        spec.setScope(content.scope());
        spec.setUnits(content.units().isEmpty() ? null : new ArrayList<>(content.units()));
        spec.setReload(content.reload());
        spec.setPriority(content.priority());
        spec.setFirstAttach(content.firstAttach());
        BundleSource source = new BundleSource();
        if (content.source().image() != null && content.source().image().oci() != null) {
            // the frozen reference carries the digest the version was pinned to: re-freezing it gives the same revision
            ResolvedImage i = content.source().image();
            OciSource oci = new OciSource();
            oci.setReference(i.oci().reference());
            oci.setPullSecretName(i.oci().pullSecretName());
            oci.setCaBundle(i.oci().caBundle());
            oci.setSizeLimitBytes(i.sizeLimitBytes());
            source.setOci(oci);
        } else if (content.source().image() != null) {
            ResolvedImage i = content.source().image();
            ImageSource image = new ImageSource();
            image.setUrl(i.url());
            image.setSha256(i.sha256());
            image.setAllowInsecureHttp(i.allowInsecureHttp() ? Boolean.TRUE : null);
            image.setSizeLimitBytes(i.sizeLimitBytes());
            source.setImage(image);
        } else if (content.source().secret() != null) {
            // the Secret's values are never in a revision (nor may they go into a spec): the source comes back as it
            // was named, and re-freezing it finds the version's copy (RevisionStore.pinnedSecrets)
            ResolvedSecret frozen = content.source().secret();
            SecretSource secret = new SecretSource();
            secret.setNamespace(frozen.namespace());
            secret.setName(frozen.name());
            if (frozen.items()) {
                List<SecretItem> items = new ArrayList<>();
                for (ResolvedSecretFile f : frozen.files()) {
                    SecretItem item = new SecretItem();
                    item.setKey(f.key());
                    item.setPath(f.path());
                    item.setMode(f.mode());
                    items.add(item);
                }
                secret.setItems(items);
            }
            source.setSecret(secret);
        } else {
            List<InlineFile> files = new ArrayList<>();
            for (ResolvedFile f : content.source().files()) {
                InlineFile file = new InlineFile();
                file.setPath(f.path());
                file.setContent(f.content());
                file.setMode(f.mode());
                files.add(file);
            }
            source.setFiles(files);
        }
        spec.setSource(source);
        spec.setHealthChecks(
                content.checks().isEmpty()
                        ? null
                        : content.checks().stream().map(SpecRestore::check).toList());
    }

    /** A frozen check with its defaults written out, so that it freezes to itself again. */
    private static HealthCheck check(ResolvedHealthCheck c) {
        HealthCheck h = new HealthCheck();
        h.setName(c.name());
        h.setTimeoutSeconds(c.timeoutSeconds());
        h.setPeriodSeconds(c.periodSeconds());
        h.setFailureThreshold(c.failureThreshold());
        if (c.exec() != null) {
            ExecCheck e = new ExecCheck();
            e.setCommand(new ArrayList<>(c.exec().command()));
            e.setRunIn(c.exec().inUnit() ? CheckNamespace.Unit : CheckNamespace.Host);
            e.setUnit(c.exec().unit());
            h.setExec(e);
        } else {
            HttpGetCheck g = new HttpGetCheck();
            g.setPort(c.httpGet().port());
            g.setPath(c.httpGet().path());
            g.setScheme(c.httpGet().https() ? HttpScheme.HTTPS : HttpScheme.HTTP);
            h.setHttpGet(g);
        }
        return h;
    }
}
