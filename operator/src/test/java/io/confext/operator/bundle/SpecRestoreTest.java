package io.confext.operator.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.revision.ResolvedHealthCheck;
import io.confext.api.revision.ResolvedSecret;
import io.confext.api.revision.ResolvedSecretFile;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.revision.RevisionDigest;
import io.confext.api.v1alpha1.ConfextBundle;
import io.confext.api.v1alpha1.ConfextBundleSpec;
import io.confext.api.v1alpha1.ExecCheck;
import io.confext.api.v1alpha1.HealthCheck;
import io.confext.api.v1alpha1.HttpGetCheck;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.operator.revision.RevisionFreezer;
import io.confext.testsupport.BundleBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecRestoreTest {
    // inline files and images need no API reads to freeze
    final RevisionFreezer freezer = new RevisionFreezer(null);

    @Test
    void aRestoredSpecFreezesToTheSameRevision() {
        ConfextBundleSpec v1 = BundleBuilder.bundle("chrony", "1.0")
                .units("chronyd.service")
                .file("chrony/chrony.conf", "server a iburst\n")
                .file("chrony/keys", "k", "0600")
                .build()
                .getSpec();
        RevisionContent frozen = freezer.freeze(v1);

        ConfextBundleSpec now = BundleBuilder.bundle("chrony", "2.0")
                .units("chronyd.service", "sshd.service")
                .file("chrony/chrony.conf", "server b iburst\n")
                .reload(ReloadMode.Restart)
                .build()
                .getSpec();
        now.setPriority(7);
        SpecRestore.restore(now, frozen);

        assertThat(now.getVersion()).isEqualTo("1.0");
        assertThat(now.getUnits()).containsExactly("chronyd.service");
        assertThat(RevisionDigest.of(freezer.freeze(now))).isEqualTo(RevisionDigest.of(frozen));
    }

    @Test
    void firstAttachIsFrozenAndComesBackWithTheUndoWhileTheDefaultKeepsTheDigest() {
        ConfextBundleSpec waits = BundleBuilder.bundle("chrony", "1.0")
                .units("chronyd.service")
                .file("chrony/chrony.conf", "server a iburst\n")
                .build()
                .getSpec();
        waits.setFirstAttach(io.confext.api.v1alpha1.FirstAttach.WaitForUnitRestart);
        RevisionContent frozen = freezer.freeze(waits);
        assertThat(frozen.firstAttachOrDefault()).isEqualTo(io.confext.api.v1alpha1.FirstAttach.WaitForUnitRestart);

        ConfextBundleSpec now = BundleBuilder.bundle("chrony", "2.0")
                .units("chronyd.service")
                .file("chrony/chrony.conf", "server b iburst\n")
                .build()
                .getSpec();
        SpecRestore.restore(now, frozen);
        assertThat(now.getFirstAttach()).isEqualTo(io.confext.api.v1alpha1.FirstAttach.WaitForUnitRestart);
        assertThat(RevisionDigest.of(freezer.freeze(now))).isEqualTo(RevisionDigest.of(frozen));

        ConfextBundleSpec unset = BundleBuilder.bundle("chrony", "1.0")
                .units("chronyd.service")
                .file("chrony/chrony.conf", "server a iburst\n")
                .build()
                .getSpec();
        ConfextBundleSpec defaulted = BundleBuilder.bundle("chrony", "1.0")
                .units("chronyd.service")
                .file("chrony/chrony.conf", "server a iburst\n")
                .build()
                .getSpec();
        defaulted.setFirstAttach(io.confext.api.v1alpha1.FirstAttach.Restart); // what the API server's default writes
        assertThat(RevisionDigest.of(freezer.freeze(defaulted)))
                .as("revisions frozen before the field keep their digest")
                .isEqualTo(RevisionDigest.of(freezer.freeze(unset)));
        assertThat(RevisionDigest.of(frozen)).isNotEqualTo(RevisionDigest.of(freezer.freeze(unset)));
    }

    @Test
    void healthChecksAreFrozenWithDefaultsAndComeBackWithTheUndo() {
        ConfextBundleSpec v1 = BundleBuilder.bundle("chrony", "1.0")
                .units("chronyd.service", "sshd.service")
                .file("chrony/chrony.conf", "server a iburst\n")
                .build()
                .getSpec();
        HealthCheck tracking = new HealthCheck();
        tracking.setName("tracking");
        ExecCheck exec = new ExecCheck();
        exec.setCommand(List.of("chronyc", "tracking"));
        tracking.setExec(exec);
        HealthCheck metrics = new HealthCheck();
        metrics.setName("metrics");
        HttpGetCheck get = new HttpGetCheck();
        get.setPort(9100);
        metrics.setHttpGet(get);
        metrics.setFailureThreshold(1);
        v1.setHealthChecks(List.of(tracking, metrics));
        RevisionContent frozen = freezer.freeze(v1);
        assertThat(frozen.checks())
                .containsExactly(
                        new ResolvedHealthCheck(
                                "tracking",
                                new ResolvedHealthCheck.Exec(List.of("chronyc", "tracking"), true, "chronyd.service"),
                                null,
                                1,
                                10,
                                3),
                        new ResolvedHealthCheck(
                                "metrics", null, new ResolvedHealthCheck.HttpGet(9100, "/", false), 1, 10, 1));

        ConfextBundleSpec now = BundleBuilder.bundle("chrony", "2.0")
                .units("sshd.service", "chronyd.service")
                .file("chrony/chrony.conf", "server b iburst\n")
                .build()
                .getSpec();
        SpecRestore.restore(now, frozen);
        assertThat(now.getHealthChecks()).extracting(HealthCheck::getName).containsExactly("tracking", "metrics");
        assertThat(RevisionDigest.of(freezer.freeze(now))).isEqualTo(RevisionDigest.of(frozen));
    }

    @Test
    void aSecretSourceComesBackAsTheSecretItNamedAndThePinnedCopyGivesTheSameRevision() {
        ResolvedSecret secret = new ResolvedSecret(
                "chrony-secret-0123456789",
                "confext-secret-copies",
                "platform",
                "chrony-keys",
                true,
                List.of(new ResolvedSecretFile("keys", "chrony/chrony.keys", "0640", "b".repeat(64))));
        RevisionContent frozen = new RevisionContent(
                "1.0", null, List.of("chronyd.service"), ResolvedSource.ofSecret(secret), null, null, 0);
        ConfextBundleSpec now = BundleBuilder.bundle("chrony", "2.0")
                .units("chronyd.service")
                .file("chrony/chrony.conf", "x")
                .build()
                .getSpec();
        SpecRestore.restore(now, frozen);
        assertThat(now.getSource().getFiles()).isNull();
        assertThat(now.getSource().getSecret().getNamespace()).isEqualTo("platform");
        assertThat(now.getSource().getSecret().getName()).isEqualTo("chrony-keys");
        assertThat(now.getSource().getSecret().getItems()).singleElement().satisfies(i -> {
            assertThat(i.getKey()).isEqualTo("keys");
            assertThat(i.getPath()).isEqualTo("chrony/chrony.keys");
            assertThat(i.getMode()).isEqualTo("0640");
        });
        // the version's copy is found again (RevisionStore.pinnedSecrets), never the Secret's current values
        var again = freezer.frozen(
                "chrony",
                now,
                (version, source) ->
                        "1.0".equals(version) ? java.util.Optional.of(secret) : java.util.Optional.empty());
        assertThat(again.copy()).isEmpty();
        assertThat(RevisionDigest.of(again.content())).isEqualTo(RevisionDigest.of(frozen));
    }

    @Test
    void anImageComesBackWithItsDigest() {
        String sha = "a".repeat(64);
        ConfextBundleSpec v1 = BundleBuilder.bundle("chrony", "1.0")
                .units("chronyd.service")
                .image("https://images.example/chrony_1.0.raw", sha)
                .build()
                .getSpec();
        RevisionContent frozen = freezer.freeze(v1);
        ConfextBundleSpec now = BundleBuilder.bundle("chrony", "2.0")
                .units("chronyd.service")
                .file("chrony/chrony.conf", "x")
                .build()
                .getSpec();
        SpecRestore.restore(now, frozen);
        assertThat(now.getSource().getFiles()).isNull();
        assertThat(now.getSource().getImage().getSha256()).isEqualTo(sha);
        assertThat(RevisionDigest.of(freezer.freeze(now))).isEqualTo(RevisionDigest.of(frozen));
    }

    @Test
    void theUndoAnnotationStartsAReconcileButStatusWritesDoNot() {
        ConfextBundle before = BundleBuilder.bundle("chrony", "1.0")
                .units("chronyd.service")
                .file("a", "b")
                .build();
        before.getMetadata().setGeneration(3L);
        ConfextBundle statusOnly = BundleBuilder.bundle("chrony", "1.0")
                .units("chronyd.service")
                .file("a", "b")
                .build();
        statusOnly.getMetadata().setGeneration(3L);
        statusOnly.getMetadata().setResourceVersion("99");
        assertThat(BundleUpdates.relevant(statusOnly, before)).isFalse();

        ConfextBundle annotated = BundleBuilder.bundle("chrony", "1.0")
                .units("chronyd.service")
                .file("a", "b")
                .build();
        annotated.getMetadata().setGeneration(3L);
        Map<String, String> a = new HashMap<>();
        a.put(BundleReconciler.UNDO_ANNOTATION, "previous");
        annotated.getMetadata().setAnnotations(a);
        assertThat(BundleUpdates.relevant(annotated, before)).isTrue();
        assertThat(BundleUpdates.relevant(before, annotated))
                .as("its removal too")
                .isTrue();

        ConfextBundle newSpec = BundleBuilder.bundle("chrony", "2.0")
                .units("chronyd.service")
                .file("a", "b")
                .build();
        newSpec.getMetadata().setGeneration(4L);
        assertThat(BundleUpdates.relevant(newSpec, before)).isTrue();
    }
}
