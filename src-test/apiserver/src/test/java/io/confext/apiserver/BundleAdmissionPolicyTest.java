package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.api.revision.RevisionCodec;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.operator.revision.RevisionFreezer;
import io.confext.operator.revision.RevisionStore;
import io.confext.operator.revision.StoredRevision;
import io.confext.operator.revision.UnresolvableBundleException;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The chart's bundle admission policy (ValidatingAdmissionPolicy + ConfextBundlePolicy), enforced by
 * the real API server for several real identities: impersonated users and groups, a ServiceAccount
 * token, and system:masters. Every refusal must name its rule. Also: the operator's least-privilege
 * ConfigMap/Secret access through the real authorizer, and the status reason the operator gives when
 * a bundle names a namespace it may not read.
 */
@RealApiServerTest
class BundleAdmissionPolicyTest {

    private static final String NS = "bundle-policy";
    private static final String RELEASE = "bundle-policy";
    private static final String POLICY = RELEASE + "-confext-operator";
    private static final String SOURCES = "team-a-config";
    private static final String COPIES = NS + "-secret-copies";
    private static final String CI_NS = "bundle-policy-ci";
    private static final String CI_SA = "deployer";
    private static final String AUTHOR_ROLE = "bundle-policy-author";
    private static final String WORKER = "{node-role.kubernetes.io/worker: \"\"}";
    private static final String SHA = "ab".repeat(32);

    /** Grants of this test's release: a base for all bundle authors and narrower or wider ones per team. */
    private static final String VALUES = """
            operator:
              sourceNamespaces: [%s]
            policy:
              requireSignedImages: true
              grants:
                - name: authors
                  groups: [bundle-authors]
                  scopes: [Service]
                - name: platform
                  groups: [platform-admins]
                  scopes: [Service, Host]
                  liftDeniedPaths: ["*"]
                  opaqueSources: true
                  controlPlane: true
                - name: ssh-team
                  users: [sam]
                  units: [ssh.service]
                  pathPrefixes: [ssh/sshd_config.d/]
                  liftDeniedPaths: [ssh/]
                - name: team-a
                  groups: [team-a]
                  units: ["chrony*"]
                  nodeSelectors: [{pool: team-a}]
                  namespaces: [%s]
                  opaqueSources: true
                - name: ci
                  serviceAccounts: [{namespace: %s, name: %s}]
                  scopes: [Service, Host]
                  pathPrefixes: [ci/]
            """.formatted(SOURCES, SOURCES, CI_NS, CI_SA);

    private static final List<ValidatingAdmissionPolicyBinding> setAside = new ArrayList<>();
    private static final List<KubernetesClient> clients = new ArrayList<>();
    private static KubernetesClient admin;
    private static KubernetesClient alice;
    private static KubernetesClient mallory;
    private static KubernetesClient pat;
    private static KubernetesClient sam;
    private static KubernetesClient tina;
    private static KubernetesClient ci;
    private static KubernetesClient operatorAccount;

    @BeforeAll
    static void installChartWithGrants(ApiServer server) throws IOException {
        admin = server.admin();
        setAsideOtherReleasesBundlePolicies();
        for (String ns : List.of(SOURCES, CI_NS)) {
            admin.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(ns)
                            .endMetadata()
                            .build())
                    .createOr(r -> r.update());
        }
        Path values = Files.createTempFile("bundle-policy-values", ".yaml");
        try {
            Files.writeString(values, VALUES);
            ChartInstaller.installWithValues(server, RELEASE, NS, values);
        } finally {
            Files.deleteIfExists(values);
        }
        admin.resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(CI_SA)
                        .withNamespace(CI_NS)
                        .endMetadata()
                        .build())
                .createOr(r -> r.update());
        // RBAC lets all of them write bundles: what each may write is the policy's business.
        admin.resource(new ClusterRoleBuilder()
                        .withNewMetadata()
                        .withName(AUTHOR_ROLE)
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("confext.io")
                        .withResources("confextbundles")
                        .withVerbs("get", "create", "update", "patch")
                        .endRule()
                        .build())
                .createOr(r -> r.update());
        admin.resource(new ClusterRoleBindingBuilder()
                        .withNewMetadata()
                        .withName(AUTHOR_ROLE)
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", AUTHOR_ROLE)
                        .addNewSubject()
                        .withKind("Group")
                        .withName("bundle-authors")
                        .endSubject()
                        .addNewSubject()
                        .withKind("Group")
                        .withName("outsiders")
                        .endSubject()
                        .addNewSubject()
                        .withKind("Group")
                        .withName("team-a")
                        .endSubject()
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName(CI_SA)
                        .withNamespace(CI_NS)
                        .endSubject()
                        .build())
                .createOr(r -> r.update());
        alice = impersonating(server, "alice", "bundle-authors");
        mallory = impersonating(server, "mallory", "outsiders");
        pat = impersonating(server, "pat", "bundle-authors", "platform-admins");
        sam = impersonating(server, "sam", "bundle-authors");
        tina = impersonating(server, "tina", "team-a");
        ci = track(server.withToken(Tokens.unbound(admin, CI_NS, CI_SA)));
        // The policy and its parameter load asynchronously: wait until the policy answers.
        Refusal.awaitRefused(
                () -> mallory.resource(bundle("warm-up", "")).dryRun().create(), "rule requester");
        admin.resource(bundle("upd-service", "")).create();
        admin.resource(bundle("upd-host", "scope: Host")).create();
        GenericKubernetesResource undo = bundle("upd-undo", "");
        undo.getMetadata().setAnnotations(Map.of("confext.io/undo", "previous"));
        admin.resource(undo).create();
        operatorAccount = track(server.withToken(Tokens.unbound(admin, NS, POLICY)));
    }

    @AfterAll
    static void restore() {
        if (admin == null) {
            return;
        }
        clients.forEach(KubernetesClient::close);
        for (String name : List.of("upd-service", "upd-host", "upd-undo")) {
            admin.genericKubernetesResources("confext.io/v1alpha1", "ConfextBundle")
                    .withName(name)
                    .delete();
        }
        for (ValidatingAdmissionPolicyBinding binding : setAside) {
            binding.getMetadata().setResourceVersion(null);
            binding.getMetadata().setUid(null);
            admin.resource(binding).createOr(r -> r.update());
        }
        // This release's policy would judge later classes' bundles: take its binding away the same way.
        admin.admissionRegistration()
                .v1()
                .validatingAdmissionPolicyBindings()
                .withName(POLICY + "-bundles")
                .delete();
    }

    /** One who, one write, and the rule that must refuse it (null: admitted). */
    record Case(
            String name,
            Function<GenericKubernetesResource, Object> write,
            GenericKubernetesResource bundle,
            String rule) {}

    @TestFactory
    Stream<DynamicTest> everyCaseIsAdmittedOrRefusedByItsRule() {
        String ssh = "units: [ssh.service]\n";
        List<Case> cases = List.of(
                create("alice: inline files for a service on workers", alice, "", null),
                create("alice: scope Host", alice, "scope: Host", "scope"),
                create(
                        "alice: no node selector reaches control-plane nodes",
                        alice,
                        "nodeSelector: {}",
                        "control-plane"),
                create(
                        "alice: selecting control-plane nodes",
                        alice,
                        "nodeSelector: {node-role.kubernetes.io/control-plane: \"\"}",
                        "control-plane"),
                create("alice: sudoers.d", alice, files("sudoers.d/90-me"), "denied-path"),
                create("alice: shadow", alice, files("shadow"), "denied-path"),
                create(
                        "alice: a unit drop-in under systemd/",
                        alice,
                        files("systemd/system/x.service.d/override.conf"),
                        "denied-path"),
                create("alice: cron.d", alice, files("cron.d/job"), "denied-path"),
                create("alice: ld.so.preload", alice, files("ld.so.preload"), "denied-path"),
                create("alice: a node-local signer in verity.d", alice, files("verity.d/x.crt"), "denied-path"),
                create("alice: sshd_config", alice, ssh + files("ssh/sshd_config"), "denied-path"),
                create("alice: pam.d", alice, files("pam.d/common-auth"), "denied-path"),
                create("alice: a signed image", alice, signedImage("trust: Node"), "opaque-source"),
                create("alice: a ConfigMap source", alice, configMap(NS), "opaque-source"),
                create("alice: a Secret source", alice, secret(NS), "opaque-source"),
                create("mallory: no grant names her", mallory, "", "requester"),
                create(
                        "pat: Host scope, systemd/, every node",
                        pat,
                        "scope: Host\nnodeSelector: {}\n" + files("systemd/journald.conf.d/50-limits.conf"),
                        null),
                create(
                        "pat: an unsigned image",
                        pat,
                        "source: {image: {url: \"https://images.example.org/x.raw\", sha256: " + SHA + "}}",
                        "signed-images"),
                create(
                        "pat: trust Secret outside the release namespace",
                        pat,
                        signedImage("trust: Secret\n  secretRef: {name: confext-trust, namespace: other}"),
                        "trust-namespace"),
                create(
                        "pat: trust Secret in the release namespace",
                        pat,
                        signedImage("trust: Secret\n  secretRef: {name: confext-trust, namespace: " + NS + "}"),
                        null),
                create(
                        "pat: a ConfigMap where the operator may not read",
                        pat,
                        configMap("elsewhere"),
                        "source-namespace"),
                create("pat: a Secret where the operator may not read", pat, secret("elsewhere"), "source-namespace"),
                create("pat: a Secret in the release namespace", pat, secret(NS), null),
                create(
                        "sam: an sshd drop-in under his prefix",
                        sam,
                        ssh + files("ssh/sshd_config.d/50-ciphers.conf"),
                        null),
                create("sam: sshd_config itself, outside his prefix", sam, ssh + files("ssh/sshd_config"), "one-grant"),
                create(
                        "tina: her team's ConfigMap on her pool",
                        tina,
                        teamA("pool: team-a", SOURCES, "chronyd.service"),
                        null),
                create(
                        "tina: another team's pool",
                        tina,
                        teamA("pool: team-b", SOURCES, "chronyd.service"),
                        "node-selector"),
                create(
                        "tina: her team's Secret on her pool",
                        tina,
                        teamA("pool: team-a", SOURCES, "chronyd.service").replace(configMap(SOURCES), secret(SOURCES)),
                        null),
                create(
                        "tina: a Secret in a namespace outside her namespaces",
                        tina,
                        teamA("pool: team-a", NS, "chronyd.service").replace(configMap(NS), secret(NS)),
                        "namespace"),
                create("tina: a unit outside her units", tina, teamA("pool: team-a", SOURCES, "ntpd.service"), "units"),
                create(
                        "tina: a namespace outside her namespaces",
                        tina,
                        teamA("pool: team-a", NS, "chronyd.service"),
                        "namespace"),
                create("ci ServiceAccount: Host scope under ci/", ci, "scope: Host\n" + files("ci/agent.conf"), null),
                create("ci ServiceAccount: a path outside ci/", ci, files("other/agent.conf"), "path-prefix"),
                create("system:masters is exempt", admin, "scope: Host\nnodeSelector: {}\n" + files("shadow"), null),
                update("alice: update of the content", alice, "upd-service", "", null),
                update("alice: update to scope Host", alice, "upd-service", "scope: Host", "scope"),
                update("alice: update adding shadow", alice, "upd-service", files("shadow"), "denied-path"),
                labelOnly("alice: a label on a Host bundle, spec unchanged", alice, "upd-host"),
                askUndo(
                        "mallory: asking for an undo is judged like a spec change",
                        mallory,
                        "upd-service",
                        "requester"),
                askUndo("alice: asking for an undo of a bundle she may write", alice, "upd-service", null),
                askUndo("alice: asking for an undo of a Host bundle", alice, "upd-host", "scope"),
                operatorWrite(
                        "operator: setting the spec back while it removes confext.io/undo", "upd-undo", true, null),
                operatorWrite("operator: a spec change that consumes no undo", "upd-service", false, "requester"));
        assertThat(cases).hasSizeGreaterThanOrEqualTo(20);
        return cases.stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    if (c.rule() == null) {
                        c.write().apply(c.bundle());
                        return;
                    }
                    Refusal refusal = Refusal.of(
                            c.name(),
                            () -> {
                                c.write().apply(c.bundle());
                                return c.bundle();
                            },
                            () -> {});
                    assertThat(refusal.code()).as(refusal.message()).isEqualTo(403);
                    assertThat(refusal.message())
                            .contains("ConfextBundlePolicy " + POLICY + ": rule " + c.rule() + ":");
                }));
    }

    @Test
    void operatorReadsSourcesOnlyInTheListedNamespacesAndAgentsGetOnlyCopies() {
        Access operator = new Access(admin, NS, POLICY);
        assertThat(operator.allowed("get", "", "configmaps", "", SOURCES, "chrony"))
                .isTrue();
        assertThat(operator.allowed("get", "", "configmaps", "", NS, "chrony")).isTrue();
        assertThat(operator.allowed("get", "", "configmaps", "", "default", "chrony"))
                .isFalse();
        assertThat(operator.allowed("list", "", "configmaps", "", SOURCES, "")).isFalse();
        assertThat(operator.allowed("get", "", "secrets", "", NS, "confext-trust"))
                .isTrue();
        assertThat(operator.allowed("get", "", "secrets", "", SOURCES, "chrony-keys"))
                .as("Secret sources in the listed namespaces")
                .isTrue();
        assertThat(operator.allowed("get", "", "secrets", "", "default", "chrony-keys"))
                .isFalse();
        assertThat(operator.allowed("list", "", "secrets", "", NS, "")).isFalse();
        assertThat(operator.allowed("list", "", "secrets", "", SOURCES, "")).isFalse();
        assertThat(operator.allowed("create", "", "secrets", "", COPIES, "")).isTrue();
        assertThat(operator.allowed("delete", "", "secrets", "", COPIES, "x")).isTrue();
        assertThat(operator.allowed("create", "", "secrets", "", NS, "")).isFalse();
        Access agent = new Access(admin, NS, POLICY + "-agent");
        assertThat(agent.allowed("get", "", "secrets", "", NS, "confext-trust"))
                .as("the agent reads no Secret of the release namespace")
                .isFalse();
        assertThat(agent.allowed("get", "", "secrets", "", COPIES, "chrony-secret-0123456789"))
                .as("copies of Secret sources, by name")
                .isTrue();
        assertThat(agent.allowed("list", "", "secrets", "", COPIES, "")).isFalse();
        assertThat(agent.allowed("watch", "", "secrets", "", COPIES, "")).isFalse();
    }

    @Test
    void aBundleNamingAnUnlistedNamespaceGetsANamedReason(ApiServer server) {
        admin.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("chrony")
                        .withNamespace(SOURCES)
                        .endMetadata()
                        .addToData("chrony.conf", "server ntp1\n")
                        .build())
                .createOr(r -> r.update());
        try (KubernetesClient operator = server.withToken(Tokens.unbound(admin, NS, POLICY))) {
            RevisionFreezer freezer = new RevisionFreezer(operator);
            assertThat(freezer.freeze(spec(configMap(SOURCES))).source().files())
                    .hasSize(1);
            assertThatThrownBy(() -> freezer.freeze(spec(configMap("default"))))
                    .isInstanceOfSatisfying(
                            UnresolvableBundleException.class,
                            e -> assertThat(e.reason()).isEqualTo("SourceNamespaceNotAllowed"))
                    .hasMessageContaining("operator.sourceNamespaces");
            assertThatThrownBy(() -> freezer.freeze(
                            spec(signedImage("trust: Secret\n  secretRef: {name: t, namespace: default}"))))
                    .isInstanceOfSatisfying(
                            UnresolvableBundleException.class,
                            e -> assertThat(e.reason()).isEqualTo("TrustNamespaceNotAllowed"));
        }
    }

    /**
     * The operator's own identity (its chart RBAC, through the real authorizer) freezes a Secret source: the
     * revision holds digests only, the copy Secret the values, in the copy namespace; the agent's identity may get
     * the copy by name.
     */
    @Test
    void theOperatorCopiesTheSecretAndTheRevisionCarriesNoData(ApiServer server) {
        String value = "1 SHA256 HEX:C0FFEE-real-api-server\n";
        admin.resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                        .withNewMetadata()
                        .withName("chrony-keys")
                        .withNamespace(SOURCES)
                        .endMetadata()
                        .addToStringData("keys", value)
                        .addToStringData("unrelated", "never-copied\n")
                        .build())
                .createOr(r -> r.update());
        admin.resource(bundle(
                        "secret-copy",
                        "source: {secret: {name: chrony-keys, namespace: " + SOURCES
                                + ", items: [{key: keys, path: chrony/chrony.keys}]}}"))
                .createOr(r -> r.update());
        ConfextBundle bundle =
                admin.resources(ConfextBundle.class).withName("secret-copy").get();
        try (KubernetesClient operator = server.withToken(Tokens.unbound(admin, NS, POLICY));
                KubernetesClient agent = server.withToken(Tokens.unbound(admin, NS, POLICY + "-agent"))) {
            RevisionStore store = new RevisionStore(operator, NS, COPIES);
            var frozen = new RevisionFreezer(operator, NS, COPIES)
                    .frozen("secret-copy", bundle.getSpec(), store.pinnedSecrets("secret-copy"));
            StoredRevision stored = store.ensure(bundle, frozen);

            var cr = admin.apps()
                    .controllerRevisions()
                    .inNamespace(NS)
                    .withName(stored.target().name())
                    .get();
            String data = io.confext.api.revision.CanonicalJson.write(cr.getData());
            assertThat(data).doesNotContain("C0FFEE").doesNotContain("never-copied");
            var secret = RevisionCodec.fromData(cr.getData()).source().secret();
            assertThat(secret.copyNamespace()).isEqualTo(COPIES);
            assertThat(secret.files())
                    .singleElement()
                    .satisfies(f -> assertThat(f.sha256()).hasSize(64));

            Secret copy =
                    agent.secrets().inNamespace(COPIES).withName(secret.copy()).get();
            assertThat(copy.getImmutable()).isTrue();
            assertThat(copy.getType()).isEqualTo("Opaque");
            assertThat(copy.getData()).containsOnlyKeys("keys");
            assertThat(new String(
                            java.util.Base64.getDecoder().decode(copy.getData().get("keys")),
                            java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(value);
            assertThat(copy.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> assertThat(o.getUid())
                            .isEqualTo(bundle.getMetadata().getUid()));
            assertThatThrownBy(() -> agent.secrets().inNamespace(COPIES).list())
                    .as("the agent may not list copies")
                    .isInstanceOfSatisfying(
                            io.fabric8.kubernetes.client.KubernetesClientException.class,
                            e -> assertThat(e.getCode()).isEqualTo(403));
        } finally {
            admin.resources(ConfextBundle.class).withName("secret-copy").delete();
        }
    }

    private static Case create(String name, KubernetesClient who, String specYaml, String rule) {
        return new Case(
                name,
                b -> who.resource(b).dryRun().create(),
                bundle("case-" + Integer.toHexString(name.hashCode()), specYaml),
                rule);
    }

    /** The stored bundle with the given spec fields replaced, written by {@code who} (dry run). */
    private static Case update(String name, KubernetesClient who, String stored, String specYaml, String rule) {
        GenericKubernetesResource changed =
                bundle(stored, specYaml + (specYaml.isEmpty() ? "" : "\n") + "version: \"2\"");
        return new Case(
                name,
                b -> {
                    GenericKubernetesResource current = who.genericKubernetesResources(
                                    "confext.io/v1alpha1", "ConfextBundle")
                            .withName(stored)
                            .get();
                    current.getAdditionalProperties()
                            .put("spec", b.getAdditionalProperties().get("spec"));
                    return who.resource(current).dryRun().update();
                },
                changed,
                rule);
    }

    private static Case labelOnly(String name, KubernetesClient who, String stored) {
        return new Case(
                name,
                b -> {
                    GenericKubernetesResource current = who.genericKubernetesResources(
                                    "confext.io/v1alpha1", "ConfextBundle")
                            .withName(stored)
                            .get();
                    current.getMetadata().setLabels(Map.of("team", "alice"));
                    return who.resource(current).dryRun().update();
                },
                bundle(stored, ""),
                null);
    }

    /** {@code who} adds {@code confext.io/undo} to the stored bundle, spec unchanged (dry run). */
    private static Case askUndo(String name, KubernetesClient who, String stored, String rule) {
        return new Case(
                name,
                b -> {
                    GenericKubernetesResource current = who.genericKubernetesResources(
                                    "confext.io/v1alpha1", "ConfextBundle")
                            .withName(stored)
                            .get();
                    current.getMetadata().setAnnotations(Map.of("confext.io/undo", "previous"));
                    return who.resource(current).dryRun().update();
                },
                bundle(stored, ""),
                rule);
    }

    /** The operator's ServiceAccount changes the stored bundle's version, removing confext.io/undo or not (dry run). */
    @SuppressWarnings("unchecked")
    private static Case operatorWrite(String name, String stored, boolean consumeUndo, String rule) {
        return new Case(
                name,
                b -> {
                    GenericKubernetesResource current = operatorAccount
                            .genericKubernetesResources("confext.io/v1alpha1", "ConfextBundle")
                            .withName(stored)
                            .get();
                    if (consumeUndo) {
                        current.getMetadata().setAnnotations(Map.of());
                    }
                    ((Map<String, Object>) current.getAdditionalProperties().get("spec")).put("version", "0.9");
                    return operatorAccount.resource(current).dryRun().update();
                },
                bundle(stored, ""),
                rule);
    }

    /** A valid bundle: inline chrony config for chronyd on workers, with the given spec fields replacing those. */
    @SuppressWarnings("unchecked")
    private static GenericKubernetesResource bundle(String name, String specYaml) {
        Map<String, Object> spec =
                new java.util.LinkedHashMap<>(Serialization.unmarshal("""
                version: "1"
                units: [chronyd.service]
                source: {files: [{path: chrony/chrony.conf, content: "server ntp1 iburst\\n"}]}
                nodeSelector: %s
                """.formatted(WORKER), Map.class));
        if (!specYaml.isBlank()) {
            spec.putAll(Serialization.unmarshal(specYaml, Map.class));
        }
        GenericKubernetesResource b = new GenericKubernetesResource();
        b.setApiVersion("confext.io/v1alpha1");
        b.setKind("ConfextBundle");
        b.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name)
                .build());
        b.getAdditionalProperties().put("spec", spec);
        return b;
    }

    private static ConfextBundleSpec spec(String specYaml) {
        return Serialization.unmarshal(
                Serialization.asJson(
                        bundle("x", specYaml).getAdditionalProperties().get("spec")),
                ConfextBundleSpec.class);
    }

    private static String files(String path) {
        return "source: {files: [{path: \"" + path + "\", content: \"x=1\\n\"}]}";
    }

    private static String signedImage(String verification) {
        return "source: {image: {url: \"https://images.example.org/x.raw\", sha256: " + SHA + "}}\n"
                + "verification:\n  requireSignature: true\n  " + verification;
    }

    private static String configMap(String namespace) {
        return "source: {configMapRef: {name: chrony, namespace: " + namespace + "}}";
    }

    private static String secret(String namespace) {
        return "source: {secret: {name: chrony-keys, namespace: " + namespace + "}}";
    }

    private static String teamA(String pool, String namespace, String unit) {
        return "units: [" + unit + "]\nnodeSelector: {" + pool + ", node-role.kubernetes.io/worker: \"\"}\n"
                + configMap(namespace);
    }

    private static KubernetesClient impersonating(ApiServer server, String user, String... groups) {
        Config config = new ConfigBuilder(Config.fromKubeconfig(server.kubeConfigYaml()))
                .withImpersonateUsername(user)
                .withImpersonateGroups(groups)
                .build();
        return track(new KubernetesClientBuilder().withConfig(config).build());
    }

    private static KubernetesClient track(KubernetesClient client) {
        clients.add(client);
        return client;
    }

    /**
     * The shared test API server holds one chart release per test class; a real cluster holds one.
     * Every release's bundle policy judges every bundle, so the other releases' bindings are set
     * aside while this class runs (and put back after), leaving only this release's grants.
     */
    private static void setAsideOtherReleasesBundlePolicies() {
        for (ValidatingAdmissionPolicyBinding b : admin.admissionRegistration()
                .v1()
                .validatingAdmissionPolicyBindings()
                .list()
                .getItems()) {
            if (b.getMetadata().getName().endsWith("-bundles")
                    && !b.getMetadata().getName().equals(POLICY + "-bundles")) {
                setAside.add(b);
                admin.resource(b).delete();
            }
        }
    }

    /** Retries until the write is refused with the expected text (a new policy applies after a moment). */
}
