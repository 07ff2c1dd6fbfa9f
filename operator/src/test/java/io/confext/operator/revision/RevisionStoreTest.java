package io.confext.operator.revision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.RevisionCodec;
import io.confext.api.revision.RevisionContent;
import io.confext.api.revision.RevisionDigest;
import io.confext.api.v1alpha1.BundleSource;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.api.v1alpha1.ConfigMapItem;
import io.confext.api.v1alpha1.ConfigMapRef;
import io.confext.api.v1alpha1.ImageSource;
import io.confext.api.v1alpha1.SecretRef;
import io.confext.api.v1alpha1.TrustSource;
import io.confext.api.v1alpha1.Verification;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class RevisionStoreTest {
    static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    KubernetesClient client;

    static ConfextBundle bundle(String name, String version, BundleSource source) {
        ConfextBundle b = new ConfextBundle();
        b.setMetadata(
                new ObjectMetaBuilder().withName(name).withUid("uid-" + name).build());
        ConfextBundleSpec spec = new ConfextBundleSpec();
        spec.setVersion(version);
        spec.setUnits(List.of("chronyd.service"));
        spec.setSource(source);
        b.setSpec(spec);
        return b;
    }

    static BundleSource configMap(String ns, String name) {
        BundleSource s = new BundleSource();
        ConfigMapRef ref = new ConfigMapRef();
        ref.setNamespace(ns);
        ref.setName(name);
        s.setConfigMapRef(ref);
        return s;
    }

    @Test
    void configMapIsFrozenIntoTheRevisionAndLaterEditsDoNotChangeIt() {
        client.configMaps()
                .inNamespace("platform")
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("chrony")
                        .endMetadata()
                        .addToData("chrony.conf", "server a\n")
                        .addToData("b.conf", "x\n")
                        .build())
                .create();
        RevisionFreezer freezer = new RevisionFreezer(client);
        RevisionStore store = new RevisionStore(client, "confext-system");
        ConfextBundle b = bundle("chrony", "1", configMap("platform", "chrony"));

        RevisionContent content = freezer.freeze(b.getSpec());
        assertThat(content.source().files()).extracting(f -> f.path()).containsExactly("b.conf", "chrony.conf");
        StoredRevision r1 = store.ensure(b, content);
        assertThat(r1.target().name())
                .isEqualTo("chrony-" + RevisionDigest.of(content).substring(7, 17));
        assertThat(r1.revision()).isEqualTo(1);
        assertThat(store.ensure(b, freezer.freeze(b.getSpec())))
                .as("same content, same revision")
                .isEqualTo(r1);

        client.configMaps().inNamespace("platform").withName("chrony").edit(cm -> {
            cm.getData().put("chrony.conf", "server b\n");
            return cm;
        });
        ControllerRevision stored = client.apps()
                .controllerRevisions()
                .inNamespace("confext-system")
                .withName(r1.target().name())
                .get();
        assertThat(RevisionCodec.fromData(stored.getData()))
                .as("the stored revision keeps the old content")
                .isEqualTo(content);
        assertThat(stored.getMetadata().getLabels()).containsEntry("confext.io/bundle", "chrony");
        assertThat(stored.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("uid-chrony");
        // the edited content under the same version is refused with a reason a person can act on ...
        assertThatThrownBy(() -> store.ensure(b, freezer.freeze(b.getSpec())))
                .isInstanceOf(UnresolvableBundleException.class)
                .hasMessageContaining("version 1 of bundle chrony was frozen as revision "
                        + r1.target().name())
                .hasMessageContaining("raise spec.version")
                .satisfies(e ->
                        assertThat(((UnresolvableBundleException) e).reason()).isEqualTo("VersionReused"));
        // ... and becomes a new revision under a new version
        b.getSpec().setVersion("2");
        StoredRevision r2 = store.ensure(b, freezer.freeze(b.getSpec()));
        assertThat(r2.target().name()).isNotEqualTo(r1.target().name());
        assertThat(r2.target().version()).isEqualTo("2");
        assertThat(r2.revision()).isEqualTo(2);
    }

    @Test
    void theSameVersionMayChangeItsUnitsButNotItsContent() {
        client.configMaps()
                .inNamespace("platform")
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("chrony")
                        .endMetadata()
                        .addToData("chrony.conf", "server a\n")
                        .build())
                .create();
        RevisionFreezer freezer = new RevisionFreezer(client);
        RevisionStore store = new RevisionStore(client, "confext-system");
        ConfextBundle b = bundle("chrony", "1", configMap("platform", "chrony"));
        StoredRevision r1 = store.ensure(b, freezer.freeze(b.getSpec()));
        b.getSpec().setUnits(List.of("chronyd.service", "chrony-wait.service"));
        StoredRevision r2 = store.ensure(b, freezer.freeze(b.getSpec()));
        assertThat(r2.target().name())
                .as("units are part of the revision")
                .isNotEqualTo(r1.target().name());
        assertThat(r2.target().version()).isEqualTo("1");
        b.getSpec().setUnits(List.of("chronyd.service"));
        assertThat(store.ensure(b, freezer.freeze(b.getSpec())))
                .as("back to the first: the same revision")
                .isEqualTo(r1);
    }

    @Test
    void trustSecretCertificatesAreCopiedAsPem() {
        client.secrets()
                .inNamespace("confext-system")
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("trust")
                        .endMetadata()
                        .addToData("a.crt", Base64.getEncoder().encodeToString(PEM.getBytes(StandardCharsets.UTF_8)))
                        .addToData(
                                "README",
                                Base64.getEncoder().encodeToString("ignored".getBytes(StandardCharsets.UTF_8)))
                        .build())
                .create();
        BundleSource s = new BundleSource();
        ImageSource img = new ImageSource();
        img.setUrl("https://example.org/c.raw");
        img.setSha256("a".repeat(64));
        s.setImage(img);
        ConfextBundle b = bundle("chrony", "1", s);
        Verification v = new Verification();
        v.setRequireSignature(true);
        v.setTrust(TrustSource.Secret);
        SecretRef ref = new SecretRef();
        ref.setNamespace("confext-system");
        ref.setName("trust");
        v.setSecretRef(ref);
        b.getSpec().setVerification(v);
        RevisionContent c = new RevisionFreezer(client).freeze(b.getSpec());
        assertThat(c.verification().trustedCertificatesPem()).containsExactly(PEM);
        assertThat(c.verification().requireSignature()).isTrue();
    }

    @Test
    void configMapItemsProjectTheListedKeysToTheirPathsAndModes() {
        client.configMaps()
                .inNamespace("platform")
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("chrony-items")
                        .endMetadata()
                        .addToData("pool", "pool a iburst\n")
                        .addToData("keys", "1 SHA1 HEX:00\n")
                        .addToData("unused", "x\n")
                        .build())
                .create();
        BundleSource s = configMap("platform", "chrony-items");
        s.getConfigMapRef()
                .setItems(List.of(
                        item("pool", "chrony/conf.d/10-pool.conf", null), item("keys", "chrony/chrony.keys", "0640")));
        RevisionContent c =
                new RevisionFreezer(client).freeze(bundle("chrony", "1", s).getSpec());
        assertThat(c.source().files())
                .as("only the listed keys, in the items' order, at their paths and modes")
                .containsExactly(
                        new ResolvedFile("chrony/conf.d/10-pool.conf", "pool a iburst\n", "0644"),
                        new ResolvedFile("chrony/chrony.keys", "1 SHA1 HEX:00\n", "0640"));
    }

    @Test
    void aConfigMapItemWhoseKeyIsMissingIsRefusedWithTheItemNamed() {
        client.configMaps()
                .inNamespace("platform")
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("chrony-partial")
                        .endMetadata()
                        .addToData("pool", "pool a iburst\n")
                        .build())
                .create();
        BundleSource s = configMap("platform", "chrony-partial");
        s.getConfigMapRef()
                .setItems(List.of(
                        item("pool", "chrony/conf.d/10-pool.conf", null), item("keys", "chrony/chrony.keys", null)));
        assertThatThrownBy(() -> new RevisionFreezer(client)
                        .freeze(bundle("chrony", "1", s).getSpec()))
                .isInstanceOf(UnresolvableBundleException.class)
                .hasMessageContaining(
                        "ConfigMap platform/chrony-partial has no key \"keys\" named in spec.source.configMapRef.items[1]")
                .hasMessageContaining("[pool]")
                .satisfies(e ->
                        assertThat(((UnresolvableBundleException) e).reason()).isEqualTo("InvalidConfigMap"));
    }

    private static ConfigMapItem item(String key, String path, String mode) {
        ConfigMapItem i = new ConfigMapItem();
        i.setKey(key);
        i.setPath(path);
        i.setMode(mode);
        return i;
    }

    @Test
    void missingConfigMapGivesAnActionableError() {
        ConfextBundle b = bundle("chrony", "1", configMap("platform", "nope"));
        assertThatThrownBy(() -> new RevisionFreezer(client).freeze(b.getSpec()))
                .isInstanceOf(UnresolvableBundleException.class)
                .hasMessageContaining("ConfigMap platform/nope")
                .satisfies(e ->
                        assertThat(((UnresolvableBundleException) e).reason()).isEqualTo("ConfigMapNotFound"));
    }

    @Test
    void pruneKeepsTheNewestTenAndEveryRevisionInUse() {
        RevisionStore store = new RevisionStore(client, "confext-system");
        String first = null;
        for (int v = 1; v <= 13; v++) {
            client.configMaps()
                    .inNamespace("p")
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("c" + v)
                            .endMetadata()
                            .addToData("f.conf", "v" + v)
                            .build())
                    .create();
            ConfextBundle b = bundle("chrony", Integer.toString(v), configMap("p", "c" + v));
            StoredRevision r = store.ensure(b, new RevisionFreezer(client).freeze(b.getSpec()));
            first = first == null ? r.target().name() : first;
        }
        assertThat(store.prune("chrony", Set.of(first))).isEqualTo(2);
        List<ControllerRevision> left = store.list("chrony");
        assertThat(left).hasSize(11);
        assertThat(left).extracting(cr -> cr.getMetadata().getName()).contains(first);
        assertThat(left).extracting(ControllerRevision::getRevision).doesNotContain(2L, 3L);
    }
}
