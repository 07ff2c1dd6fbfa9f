package io.confext.operator.revision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.api.revision.CanonicalJson;
import io.confext.api.revision.ResolvedSecret;
import io.confext.api.revision.RevisionCodec;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundleSource;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.SecretItem;
import io.confext.api.v1alpha1.SecretSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Freezing a Secret source: digests in the revision, values only in the per-revision copy Secret. */
@EnableKubernetesMockClient(crud = true)
class SecretSourceFreezingTest {
    static final String NS = "confext-system";
    static final String COPIES = "confext-secret-copies";
    static final String KEY_V1 = "1 SHA256 HEX:AAAA-first-value\n";
    static final String KEY_V2 = "1 SHA256 HEX:BBBB-second-value\n";
    static final String UNUSED = "not-shipped-and-not-copied\n";
    KubernetesClient client;

    static BundleSource secretSource(SecretItem... items) {
        SecretSource s = new SecretSource();
        s.setNamespace("platform");
        s.setName("chrony-keys");
        s.setItems(items.length == 0 ? null : List.of(items));
        BundleSource source = new BundleSource();
        source.setSecret(s);
        return source;
    }

    static SecretItem item(String key, String path, String mode) {
        SecretItem i = new SecretItem();
        i.setKey(key);
        i.setPath(path);
        i.setMode(mode);
        return i;
    }

    void sourceSecret(String keys) {
        client.secrets()
                .inNamespace("platform")
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("chrony-keys")
                        .endMetadata()
                        .addToData("keys", b64(keys))
                        .addToData("notes", b64(UNUSED))
                        .build())
                .createOr(e -> e.update());
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    StoredRevision freezeAndStore(ConfextBundle b) {
        RevisionStore store = new RevisionStore(client, NS, COPIES);
        String name = b.getMetadata().getName();
        return store.ensure(
                b, new RevisionFreezer(client, NS, COPIES).frozen(name, b.getSpec(), store.pinnedSecrets(name)));
    }

    ControllerRevision revision(StoredRevision r) {
        return client.apps()
                .controllerRevisions()
                .inNamespace(NS)
                .withName(r.target().name())
                .get();
    }

    @Test
    void theRevisionHoldsDigestsAndTheCopySecretOnlyTheNamedKeys() throws Exception {
        sourceSecret(KEY_V1);
        ConfextBundle b =
                RevisionStoreTest.bundle("chrony", "1", secretSource(item("keys", "chrony/chrony.keys", null)));

        StoredRevision r = freezeAndStore(b);

        ControllerRevision cr = revision(r);
        String data = CanonicalJson.write(cr.getData());
        assertThat(data)
                .as("no value, plain or base64, is in the revision")
                .doesNotContain("AAAA-first-value")
                .doesNotContain(b64(KEY_V1))
                .doesNotContain("not-shipped");
        ResolvedSecret frozen = RevisionCodec.fromData(cr.getData()).source().secret();
        assertThat(frozen.files()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("chrony/chrony.keys");
            assertThat(f.mode()).isEqualTo("0600");
            assertThat(f.key()).isEqualTo("keys");
        });
        assertThat(frozen.files().get(0).sha256()).isEqualTo(sha256(KEY_V1));
        assertThat(frozen.copy()).startsWith("chrony-secret-");

        assertThat(frozen.copyNamespace()).isEqualTo(COPIES);
        assertThat(client.secrets().inNamespace(NS).list().getItems())
                .as("nothing in the operator's namespace")
                .isEmpty();
        Secret copy =
                client.secrets().inNamespace(COPIES).withName(frozen.copy()).get();
        assertThat(copy).as("copy Secret in the copy namespace").isNotNull();
        assertThat(copy.getImmutable()).isTrue();
        assertThat(copy.getType()).isEqualTo("Opaque");
        assertThat(copy.getData()).containsOnlyKeys("keys").containsEntry("keys", b64(KEY_V1));
        assertThat(copy.getMetadata().getLabels())
                .containsEntry(RevisionStore.BUNDLE_LABEL, "chrony")
                .containsEntry(SecretCopies.REVISION_LABEL, r.target().name());
        assertThat(copy.getMetadata().getOwnerReferences())
                .as("owned by the bundle: an owner in another namespace is not allowed")
                .singleElement()
                .satisfies(o -> {
                    assertThat(o.getKind()).isEqualTo("ConfextBundle");
                    assertThat(o.getName()).isEqualTo("chrony");
                    assertThat(o.getUid()).isEqualTo("uid-chrony");
                });
    }

    @Test
    void anEditedSecretKeepsTheVersionsFrozenContentAndANewVersionFreezesItAnew() throws Exception {
        sourceSecret(KEY_V1);
        BundleSource source = secretSource(item("keys", "chrony/chrony.keys", "0640"));
        StoredRevision v1 = freezeAndStore(RevisionStoreTest.bundle("chrony", "1", source));

        sourceSecret(KEY_V2);
        // the same version again (an undo sets the spec back to it): the files the nodes had, from the kept copy
        StoredRevision again = freezeAndStore(RevisionStoreTest.bundle("chrony", "1", source));
        assertThat(again.target()).isEqualTo(v1.target());

        StoredRevision v2 = freezeAndStore(RevisionStoreTest.bundle("chrony", "2", source));
        assertThat(v2.target().name()).isNotEqualTo(v1.target().name());
        ResolvedSecret s1 =
                RevisionCodec.fromData(revision(v1).getData()).source().secret();
        ResolvedSecret s2 =
                RevisionCodec.fromData(revision(v2).getData()).source().secret();
        assertThat(s2.files().get(0).sha256()).isEqualTo(sha256(KEY_V2));
        assertThat(s2.copy()).isNotEqualTo(s1.copy());
        assertThat(client.secrets()
                        .inNamespace(COPIES)
                        .withName(s1.copy())
                        .get()
                        .getData())
                .as("the first version's copy is unchanged, for undo")
                .containsEntry("keys", b64(KEY_V1));

        // other items under the same version are other content: not pinned, refused as a reused version
        BundleSource moved = secretSource(item("keys", "chrony/other.keys", "0640"));
        assertThatThrownBy(() -> freezeAndStore(RevisionStoreTest.bundle("chrony", "1", moved)))
                .isInstanceOfSatisfying(
                        UnresolvableBundleException.class,
                        e -> assertThat(e.catalogued()).isEqualTo(Reason.VersionReused));
    }

    @Test
    void withoutItemsEveryKeyIsAFileUnderEtcWithMode0600() {
        sourceSecret(KEY_V1);
        StoredRevision r = freezeAndStore(RevisionStoreTest.bundle("chrony", "1", secretSource()));
        ResolvedSecret frozen =
                RevisionCodec.fromData(revision(r).getData()).source().secret();
        assertThat(frozen.items()).isFalse();
        assertThat(frozen.files()).extracting(f -> f.path()).containsExactly("keys", "notes");
        assertThat(frozen.files()).extracting(f -> f.mode()).containsOnly("0600");
    }

    @Test
    void refusalsNameTheSecretAndKeysButNeverAValue() {
        ConfextBundle missing = RevisionStoreTest.bundle("chrony", "1", secretSource());
        assertThatThrownBy(() -> freezeAndStore(missing))
                .isInstanceOfSatisfying(
                        UnresolvableBundleException.class,
                        e -> assertThat(e.catalogued()).isEqualTo(Reason.SourceSecretNotFound))
                .hasMessageContaining("platform/chrony-keys");

        sourceSecret(KEY_V1);
        ConfextBundle noKey = RevisionStoreTest.bundle("chrony", "1", secretSource(item("nope", "a.conf", null)));
        assertThatThrownBy(() -> freezeAndStore(noKey))
                .isInstanceOfSatisfying(
                        UnresolvableBundleException.class,
                        e -> assertThat(e.catalogued()).isEqualTo(Reason.InvalidSourceSecret))
                .hasMessageContaining("\"nope\"")
                .hasMessageContaining("spec.source.secret.items[0]")
                .hasMessageContaining("[keys, notes]")
                .message()
                .doesNotContain("AAAA")
                .doesNotContain(b64(KEY_V1));

        client.secrets()
                .inNamespace("platform")
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("binary")
                        .endMetadata()
                        .addToData("k", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0, 1}))
                        .build())
                .create();
        BundleSource binary = secretSource();
        binary.getSecret().setName("binary");
        assertThatThrownBy(() -> freezeAndStore(RevisionStoreTest.bundle("bin", "1", binary)))
                .isInstanceOfSatisfying(
                        UnresolvableBundleException.class,
                        e -> assertThat(e.catalogued()).isEqualTo(Reason.InvalidSourceSecret))
                .hasMessageContaining("not UTF-8 text");
        assertThat(client.secrets().inNamespace(COPIES).list().getItems())
                .as("no copy for a refused freeze")
                .isEmpty();
    }

    @Test
    void aPrunedRevisionTakesItsCopyAlongAndOneInUseKeepsIt() {
        BundleSource source = secretSource(item("keys", "chrony/chrony.keys", null));
        List<ResolvedSecret> frozen = new java.util.ArrayList<>();
        for (int v = 1; v <= RevisionStore.KEEP + 2; v++) {
            sourceSecret("key " + v + "\n");
            StoredRevision r = freezeAndStore(RevisionStoreTest.bundle("chrony", String.valueOf(v), source));
            frozen.add(RevisionCodec.fromData(revision(r).getData()).source().secret());
        }
        String inUse = client
                .apps()
                .controllerRevisions()
                .inNamespace(NS)
                .withLabel(RevisionStore.BUNDLE_LABEL, "chrony")
                .list()
                .getItems()
                .stream()
                .filter(cr -> cr.getRevision() == 1L)
                .findFirst()
                .orElseThrow()
                .getMetadata()
                .getName();

        int deleted = new RevisionStore(client, NS, COPIES).prune("chrony", java.util.Set.of(inUse));

        assertThat(deleted).isEqualTo(1);
        assertThat(client.secrets()
                        .inNamespace(COPIES)
                        .withName(frozen.get(0).copy())
                        .get())
                .as("version 1 is in use (in the history): its copy stays for undo")
                .isNotNull();
        assertThat(client.secrets()
                        .inNamespace(COPIES)
                        .withName(frozen.get(1).copy())
                        .get())
                .as("version 2 was pruned, and its copy with it")
                .isNull();
        assertThat(client.secrets().inNamespace(COPIES).list().getItems()).hasSize(RevisionStore.KEEP + 1);
    }
}
