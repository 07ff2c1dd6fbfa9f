package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionCodec;
import io.confext.api.revision.RevisionContent;
import io.confext.api.revision.RevisionDigest;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.BundleState;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleStatus;
import io.confext.api.v1alpha1.ConfextNode;
import io.confext.api.v1alpha1.ConfextNodeSpec;
import io.confext.api.v1alpha1.ConfextNodeStatus;
import io.confext.api.v1alpha1.DesiredBundle;
import io.confext.api.v1alpha1.HostFacts;
import io.confext.api.v1alpha1.NodeFailure;
import io.confext.api.v1alpha1.RevisionRef;
import io.confext.api.v1alpha1.UnitState;
import io.confext.api.v1alpha1.VersionHistoryEntry;
import io.confext.kubectl.KubectlConfext;
import io.confext.testsupport.BundleBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl confext} run in-process (its real command line, kubeconfig and fabric8 client) against the real
 * kube-apiserver, on objects written as the operator and the agents write them: a bundle in the middle of rolling
 * 2.0 out over 1.0 (status with history, a failure and conditions), its two ControllerRevisions in the operator's
 * namespace, and two ConfextNodes with entries and reports. No operator runs, so the effect of {@code undo} (the
 * annotation) and {@code pause}/{@code resume} (spec.rollout.paused) stays on the object to be asserted.
 */
@RealApiServerTest
class KubectlPluginTest {
    private static final String NS = "plugin-test";
    private static final String BUNDLE = "plugin-chrony";
    private static final List<String> NODES = List.of("plugin-node-0", "plugin-node-1");
    private static final String CONF_1 = "pool 1.pool.ntp.org iburst\nmakestep 1.0 3\nrtcsync\n";
    private static final String CONF_2 = "pool 2.pool.ntp.org iburst\nmakestep 1.0 3\nrtcsync\nleapsectz right/UTC\n";

    @TempDir
    static Path dir;

    private static Path kubeconfig;
    private static String rev1;
    private static String rev2;

    @BeforeAll
    static void writeABundleMidRolloutWithItsRevisionsAndNodes(ApiServer server) throws IOException {
        KubernetesClient admin = server.admin();
        Crds.installAll(admin, RepoFiles.fromBuild().crds());
        kubeconfig = Files.writeString(dir.resolve("kubeconfig"), server.kubeConfigYaml());
        admin.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NS)
                        .endMetadata()
                        .build())
                .create();

        ConfextBundle bundle = admin.resource(BundleBuilder.bundle(BUNDLE, "2.0")
                        .units("chronyd.service")
                        .file("chrony/chrony.conf", CONF_2)
                        .rollout(r -> r.setMinReadySeconds(30))
                        .build())
                .create();
        RevisionContent one = content("1.0", CONF_1);
        RevisionContent two = content("2.0", CONF_2);
        rev1 = revision(admin, bundle, one, 1);
        rev2 = revision(admin, bundle, two, 2);

        bundle.setStatus(midRollout(bundle.getMetadata().getGeneration()));
        admin.resource(bundle).updateStatus();

        node(admin, NODES.get(0), "2.0", rev2, RevisionDigest.of(two), BundlePhase.Active, "Proven", "2.0");
        node(admin, NODES.get(1), "2.0", rev2, RevisionDigest.of(two), BundlePhase.RolledBack, "ReloadFailed", "1.0");
    }

    @AfterAll
    static void removeEverythingThisClassCreated(ApiServer server) {
        KubernetesClient admin = server.admin();
        NODES.forEach(n -> admin.resources(ConfextNode.class).withName(n).delete());
        admin.resources(ConfextBundle.class).withName(BUNDLE).delete();
        admin.apps().controllerRevisions().inNamespace(NS).delete();
        admin.namespaces().withName(NS).delete();
        NODES.forEach(n -> admin.resources(ConfextNode.class)
                .withName(n)
                .waitUntilCondition(o -> o == null, 60, TimeUnit.SECONDS));
        admin.resources(ConfextBundle.class).withName(BUNDLE).waitUntilCondition(o -> o == null, 60, TimeUnit.SECONDS);
    }

    @Test
    void statusShowsTheWaveTheNodesByPhaseAndTheFailureWithItsReason() {
        Run r = run("status", BUNDLE);

        assertThat(r.code).isZero();
        assertThat(r.lines())
                .startsWith(
                        "Name:        plugin-chrony",
                        "Version:     2.0",
                        "Current:     1.0 (" + rev1 + ")",
                        "Target:      2.0 (" + rev2 + ")",
                        "Nodes:       2 targeted, 2 updated, 1 ready, 1 failed, 0 not eligible",
                        "Rollout:     Halted: rollout halted: plugin-node-1 ReloadFailed",
                        "",
                        "Nodes by version and phase:",
                        "  wants 2.0, Active (1): plugin-node-0",
                        "  wants 2.0, RolledBack (1): plugin-node-1");
        assertThat(r.out)
                .contains(
                        "plugin-node-1   ReloadFailed   2026-12-03T10:00:00Z   systemd's reload job for chronyd.service failed");
    }

    @Test
    void historyListsTheRolledOutVersionsAndTheStoredRevisions() {
        Run r = run("history", BUNDLE);

        assertThat(r.code).isZero();
        assertThat(r.out).contains("  1.0       " + rev1 + "   2026-12-03T09:00:00Z   no");
        assertThat(r.lines())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("  2        " + rev2 + "   2.0")
                        .endsWith("1 file   target"));
        assertThat(r.lines())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("  1        " + rev1 + "   1.0")
                        .endsWith("1 file   current"));
    }

    @Test
    void diffIsTheUnifiedDiffOfTheFilesTheTwoRevisionsPutInEtc() {
        Run r = run("diff", BUNDLE, "1.0", "2.0");

        assertThat(r.code).isZero();
        assertThat(r.lines())
                .containsExactly(
                        "# confextbundle plugin-chrony: 1.0 (revision 1, " + rev1 + ") -> 2.0 (revision 2, " + rev2
                                + ")",
                        "# version: 1.0 -> 2.0",
                        "--- 1.0/etc/chrony/chrony.conf",
                        "+++ 2.0/etc/chrony/chrony.conf",
                        "@@ -1,3 +1,4 @@",
                        "-pool 1.pool.ntp.org iburst",
                        "+pool 2.pool.ntp.org iburst",
                        " makestep 1.0 3",
                        " rtcsync",
                        "+leapsectz right/UTC");
        assertThat(run("diff", BUNDLE, rev2, rev1).out)
                .as("by revision name, the other way")
                .contains("-leapsectz right/UTC");

        Run unknown = run("diff", BUNDLE, "1.0", "7.0");
        assertThat(unknown.code).isEqualTo(1);
        assertThat(unknown.err)
                .isEqualTo("error: confextbundle plugin-chrony has no stored revision 7.0 (stored versions: 1.0, 2.0);"
                        + " see kubectl confext history plugin-chrony\n");
        Run elsewhere = run("history", BUNDLE, "-n", "default");
        assertThat(elsewhere.out).as("-n names where the revisions are").contains("  (none found)");
    }

    @Test
    void nodesShowWhatEachNodeIsAskedAndWhatItsUnitsSee() {
        Run r = run("nodes", BUNDLE);

        assertThat(r.code).isZero();
        assertThat(r.lines())
                .containsExactly(
                        "NODE            SYSTEMD   READY   BUNDLE          WANTS   HAS   PHASE        UNITS SEE             REASON",
                        "plugin-node-0   262       True    plugin-chrony   2.0     2.0   Active       chronyd.service=2.0   Proven",
                        "plugin-node-1   262       True    plugin-chrony   2.0     1.0   RolledBack   chronyd.service=1.0   ReloadFailed");
    }

    @Test
    void undoWritesTheAnnotationTheOperatorConsumesAndRefusesAVersionOutsideTheHistory(ApiServer server) {
        Run refused = run("undo", BUNDLE, "--to-version", "0.5");
        assertThat(refused.code).isEqualTo(1);
        assertThat(refused.err).contains("cannot undo: version 0.5 is not in status.history (1.0)");
        assertThat(annotations(server)).doesNotContainKey("confext.io/undo");

        Run r = run("undo", BUNDLE, "--to-version", "1.0");
        assertThat(r.code).isZero();
        assertThat(r.out).startsWith("confextbundle plugin-chrony: undo to 1.0 requested (confext.io/undo=1.0)");
        assertThat(annotations(server)).containsEntry("confext.io/undo", "1.0");

        assertThat(run("undo", BUNDLE).code).isZero();
        assertThat(annotations(server)).as("without --to-version").containsEntry("confext.io/undo", "previous");
        BundleEdits.edit(server.admin(), BUNDLE, b -> {
            b.getMetadata().getAnnotations().remove("confext.io/undo"); // what the operator does when it consumes it
            return b;
        });
    }

    @Test
    void pauseAndResumeSetAndClearSpecRolloutPausedKeepingTheRestOfTheRollout(ApiServer server) {
        Run paused = run("pause", BUNDLE);
        assertThat(paused.code).isZero();
        assertThat(paused.out).isEqualTo("confextbundle plugin-chrony paused\n");
        assertThat(bundle(server).getSpec().getRollout().getPaused()).isTrue();
        assertThat(bundle(server).getSpec().getRollout().getMinReadySeconds())
                .as("a merge patch")
                .isEqualTo(30);
        assertThat(run("pause", BUNDLE).out).isEqualTo("confextbundle plugin-chrony is already paused\n");
        assertThat(run("status", BUNDLE).out).contains("Version:     2.0 (paused: spec.rollout.paused)");

        Run resumed = run("resume", BUNDLE, "--kubeconfig", kubeconfig.toString());
        assertThat(resumed.out).isEqualTo("confextbundle plugin-chrony resumed\n");
        assertThat(bundle(server).getSpec().getRollout().getPaused()).isFalse();
        assertThat(bundle(server).getSpec().getRollout().getMinReadySeconds()).isEqualTo(30);
        ConfextBundle seen = bundle(server); // the operator would now describe the new generation
        seen.getStatus().setObservedGeneration(seen.getMetadata().getGeneration());
        server.admin().resource(seen).updateStatus();
    }

    @Test
    void aMissingBundleIsNotFoundWithExitCodeOneAndNoStackTrace() {
        for (String[] args : List.of(
                new String[] {"status", "nope"},
                new String[] {"history", "nope"},
                new String[] {"diff", "nope", "1", "2"},
                new String[] {"undo", "nope"},
                new String[] {"pause", "nope"},
                new String[] {"resume", "nope"},
                new String[] {"nodes", "nope"})) {
            Run r = run(args);
            assertThat(r.code).as(String.join(" ", args)).isEqualTo(1);
            assertThat(r.err).as(String.join(" ", args)).isEqualTo("error: confextbundle nope not found\n");
            assertThat(r.out).isEmpty();
        }
    }

    @Test
    void anUnknownContextOrKubeconfigIsAnErrorNamingIt() {
        Run r = runWith(
                List.of("--kubeconfig", kubeconfig.toString(), "--context", "no-such-context", "status", BUNDLE));
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).isEqualTo("error: --context no-such-context: no such context in the kubeconfig\n");

        Run missing = runWith(
                List.of("status", BUNDLE, "--kubeconfig", dir.resolve("absent").toString()));
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err).startsWith("error: --kubeconfig ").endsWith("absent: no such file, or not readable\n");
    }

    @Test
    void watchFollowsTheRolloutUntilItCompletes(ApiServer server) throws Exception {
        String name = "plugin-watched";
        KubernetesClient admin = server.admin();
        ConfextBundle b = admin.resource(BundleBuilder.bundle(name, "2.0")
                        .units("chronyd.service")
                        .file("a.conf", "x\n")
                        .build())
                .create();
        try {
            b.setStatus(midRollout(b.getMetadata().getGeneration()));
            b.getStatus()
                    .setConditions(List.of(condition("Progressing", "True", "WavesInProgress", "1 of 2 nodes ready")));
            admin.resource(b).updateStatus();
            CompletableFuture<Run> watching =
                    CompletableFuture.supplyAsync(() -> run("status", name, "--watch", "--interval", "1"));
            Thread.sleep(Duration.ofSeconds(3).toMillis());
            assertThat(watching).as("still watching a rollout in progress").isNotDone();

            ConfextBundle now =
                    admin.resources(ConfextBundle.class).withName(name).get();
            now.getStatus()
                    .setConditions(List.of(condition("Progressing", "False", "RolloutComplete", "2 of 2 nodes ready")));
            now.getStatus().setReady(2);
            now.getStatus().setFailed(0);
            now.getStatus().setFailures(null);
            admin.resource(now).updateStatus();

            Run r = watching.get(120, TimeUnit.SECONDS);
            assertThat(r.code).isZero();
            assertThat(r.out)
                    .contains(
                            "Rollout:     WavesInProgress: 1 of 2 nodes ready",
                            "Rollout:     RolloutComplete: 2 of 2 nodes ready",
                            "rollout of 2.0 complete");
        } finally {
            admin.resources(ConfextBundle.class).withName(name).delete();
            admin.resources(ConfextBundle.class)
                    .withName(name)
                    .waitUntilCondition(o -> o == null, 60, TimeUnit.SECONDS);
        }
    }

    /**
     * The plugin ships with only some of fabric8's model jars (kubectl-plugin/pom.xml: the others cost start-up time);
     * a class it needs from one left out would fail only at run time. So every command runs here once more in a JVM
     * of its own, through {@code main}, on exactly the plugin's run-time class path, and must answer as it does
     * in-process.
     */
    @Test
    void everyCommandAnswersTheSameInAJvmOfItsOwnOnThePluginsClassPath(ApiServer server) throws Exception {
        for (List<String> args : List.of(
                List.of("status", BUNDLE),
                List.of("history", BUNDLE),
                List.of("diff", BUNDLE, "1.0", "2.0"),
                List.of("nodes"),
                List.of("nodes", BUNDLE),
                List.of("undo", BUNDLE, "--to-version", "0.5"),
                List.of("status", "nope"))) {
            Run inProcess = run(args.toArray(String[]::new));
            Run own = runInItsOwnJvm(args);
            assertThat(own).as(String.join(" ", args)).isEqualTo(inProcess);
        }

        Run paused = runInItsOwnJvm(List.of("pause", BUNDLE));
        assertThat(paused).isEqualTo(new Run(0, "confextbundle plugin-chrony paused\n", ""));
        assertThat(bundle(server).getSpec().getRollout().getPaused()).isTrue();
        Run resumed = runInItsOwnJvm(List.of("resume", BUNDLE));
        assertThat(resumed).isEqualTo(new Run(0, "confextbundle plugin-chrony resumed\n", ""));
        assertThat(bundle(server).getSpec().getRollout().getPaused()).isFalse();
        ConfextBundle seen = bundle(server); // the operator would now describe the new generation
        seen.getStatus().setObservedGeneration(seen.getMetadata().getGeneration());
        server.admin().resource(seen).updateStatus();
    }

    // --- running the plugin ---

    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** The command with this test's kubeconfig, as a user with KUBECONFIG set would run it. */
    private static Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--kubeconfig")) {
            all.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        }
        return runWith(all);
    }

    private static Run runWith(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KubectlConfext.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        // the transcript in the test log is where docs/kubectl-plugin.md's examples come from
        System.out.println("$ kubectl confext "
                + String.join(
                        " ",
                        args.stream()
                                .filter(a -> !a.startsWith("/") && !a.equals("--kubeconfig"))
                                .toList()) + "\n" + out + err + "(exit " + code + ")\n");
        return new Run(code, out.toString(), err.toString());
    }

    /** The command as {@code java -cp <the plugin's class path> io.confext.kubectl.KubectlConfext}, with KUBECONFIG. */
    private static Run runInItsOwnJvm(List<String> args) throws IOException, InterruptedException {
        Path plugin = RepoFiles.fromBuild().root().resolve("kubectl-plugin/target");
        Path classpathFile = plugin.resolve("runtime.classpath");
        assertThat(classpathFile)
                .as("written by kubectl-plugin's build (process-classes); run with -am")
                .exists();
        String classpath = plugin.resolve("classes")
                + java.io.File.pathSeparator
                + Files.readString(classpathFile).strip();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                KubectlConfext.class.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        Path out = dir.resolve("own-jvm.out");
        Path err = dir.resolve("own-jvm.err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS))
                .as("kubectl confext " + args + " ended")
                .isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    // --- the objects, as the operator and the agents write them ---

    private static RevisionContent content(String version, String conf) {
        return new RevisionContent(
                version,
                null,
                List.of("chronyd.service"),
                ResolvedSource.ofFiles(List.of(new ResolvedFile("chrony/chrony.conf", conf, null))),
                null,
                null,
                0);
    }

    private static String revision(KubernetesClient admin, ConfextBundle bundle, RevisionContent content, long number) {
        String digest = RevisionDigest.of(content);
        String name = BUNDLE + "-" + digest.substring("sha256:".length(), "sha256:".length() + 10);
        ControllerRevision cr = new ControllerRevisionBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .addToLabels("confext.io/bundle", BUNDLE)
                .addToAnnotations("confext.io/digest", digest)
                .addToAnnotations("confext.io/version", content.version())
                .addNewOwnerReference()
                .withApiVersion(bundle.getApiVersion())
                .withKind(bundle.getKind())
                .withName(BUNDLE)
                .withUid(bundle.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withRevision(number)
                .withData(RevisionCodec.toData(content))
                .build();
        admin.resource(cr).create();
        return name;
    }

    private static ConfextBundleStatus midRollout(long generation) {
        ConfextBundleStatus s = new ConfextBundleStatus();
        s.setObservedGeneration(generation);
        s.setCurrentVersion("1.0");
        s.setCurrentRevision(rev1);
        s.setTargetVersion("2.0");
        s.setTargetRevision(rev2);
        s.setTargeted(2);
        s.setUpdated(2);
        s.setReady(1);
        s.setFailed(1);
        s.setNotEligible(0);
        s.setConditions(List.of(
                condition("Available", "True", "StableVersionServing", "version 1.0 was fully rolled out"),
                condition("Progressing", "False", "Halted", "rollout halted: plugin-node-1 ReloadFailed"),
                condition("Degraded", "True", "NodeFailed", "1 node(s) failed: plugin-node-1 ReloadFailed"),
                condition("Paused", "False", "NotPaused", "the rollout is not paused")));
        NodeFailure f = new NodeFailure();
        f.setNode(NODES.get(1));
        f.setReason("ReloadFailed");
        f.setMessage("systemd's reload job for chronyd.service failed");
        f.setSince("2026-12-03T10:00:00Z");
        s.setFailures(List.of(f));
        VersionHistoryEntry h = new VersionHistoryEntry();
        h.setVersion("1.0");
        h.setRevision(rev1);
        h.setCompletedAt("2026-12-03T09:00:00Z");
        s.setHistory(List.of(h));
        return s;
    }

    private static Condition condition(String type, String status, String reason, String message) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastTransitionTime("2026-12-03T10:00:00Z")
                .build();
    }

    private static void node(
            KubernetesClient admin,
            String name,
            String wants,
            String revision,
            String digest,
            BundlePhase phase,
            String reason,
            String sees) {
        ConfextNode n = new ConfextNode();
        n.setMetadata(new ObjectMetaBuilder().withName(name).build());
        DesiredBundle d = new DesiredBundle();
        d.setName(BUNDLE);
        d.setVersion(wants);
        RevisionRef ref = new RevisionRef();
        ref.setName(revision);
        ref.setNamespace(NS);
        ref.setDigest(digest);
        d.setRevision(ref);
        ConfextNodeSpec spec = new ConfextNodeSpec();
        spec.setBundles(List.of(d));
        n.setSpec(spec);
        ConfextNode created = admin.resource(n).create();

        ConfextNodeStatus status = new ConfextNodeStatus();
        HostFacts host = new HostFacts();
        host.setSystemdVersion(262);
        status.setHost(host);
        status.setConditions(List.of(condition("Ready", "True", "AgentReady", "the agent converges the node")));
        BundleState s = new BundleState();
        s.setName(BUNDLE);
        s.setRevision(revision);
        s.setDigest(digest);
        s.setDesiredVersion(wants);
        s.setActiveVersion(sees);
        s.setPhase(phase);
        s.setReason(reason);
        s.setSince("2026-12-03T10:00:00Z");
        UnitState u = new UnitState();
        u.setUnit("chronyd.service");
        u.setSeesVersion(sees);
        s.setUnits(List.of(u));
        status.setBundles(List.of(s));
        created.setStatus(status);
        admin.resource(created).updateStatus();
    }

    private static ConfextBundle bundle(ApiServer server) {
        return server.admin().resources(ConfextBundle.class).withName(BUNDLE).get();
    }

    private static Map<String, String> annotations(ApiServer server) {
        Map<String, String> a = bundle(server).getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }
}
