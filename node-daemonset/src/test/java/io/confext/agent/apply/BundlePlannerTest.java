package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.agent.state.BundleRecord;
import io.confext.agent.state.BundleStep;
import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.BundlePhase;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guards in front of a bundle's apply, decided without a host: one case per decision, and their order. */
class BundlePlannerTest {
    private static final DesiredBundleContent V2 =
            Bundles.demo("demo", "2", Scope.Service, ReloadMode.Reload, false, false, "demo.service");

    private static BundleDecision decide(DesiredBundleContent d, BundleRecord journalled) {
        return BundlePlanner.decide(new BundlePlanner.Input(d, journalled, false, true, 262));
    }

    /** What the journal holds after {@code version} of the demo bundle was applied with this outcome. */
    private static BundleRecord applied(DesiredBundleContent d, List<String> good) {
        RevisionContent c = d.content();
        return new BundleRecord(
                d.name(),
                c.scope(),
                c.units(),
                c.priority(),
                c.reload(),
                d.revision(),
                d.digest(),
                c.version(),
                good,
                null,
                null,
                BundleStep.IDLE,
                null,
                new BundleRecord.Outcome(
                        BundlePhase.Active, "Proven", "ok", "t", good.isEmpty() ? null : good.get(0), List.of(), null));
    }

    private static DesiredBundleContent image(String version) {
        RevisionContent c = new RevisionContent(
                version,
                Scope.Host,
                List.of(),
                ResolvedSource.ofImage(new ResolvedImage("https://images/demo.raw", "ab".repeat(32), false, null)),
                null,
                ReloadMode.None,
                0);
        return new DesiredBundleContent("img", "img-" + version, "sha256:" + version, false, c);
    }

    @Test
    void aNewInlineBundleIsAppliedWithItsValidatedVersion() {
        BundleDecision d = decide(V2, null);
        assertThat(d).isInstanceOf(BundleDecision.ApplyDirectory.class);
        var apply = (BundleDecision.ApplyDirectory) d;
        assertThat(apply.version().version()).isEqualTo("2");
        assertThat(apply.record().desiredVersion()).isEqualTo("2");
        assertThat(apply.record().step()).isEqualTo(BundleStep.IDLE);
        assertThat(apply.record().goodVersions()).isEmpty();
    }

    @Test
    void anImageBundleIsFetchedFirst() {
        assertThat(decide(image("3"), null)).isInstanceOf(BundleDecision.ApplyImage.class);
    }

    @Test
    void theJournalledRecordTakesTheDesiredFields() {
        DesiredBundleContent v1 =
                Bundles.demo("demo", "1", Scope.Service, ReloadMode.Restart, false, false, "a.service");
        var apply = (BundleDecision.ApplyDirectory) decide(V2, applied(v1, List.of("1")));
        assertThat(apply.record().desiredVersion()).isEqualTo("2");
        assertThat(apply.record().reload()).isEqualTo(ReloadMode.Reload);
        assertThat(apply.record().units()).containsExactly("demo.service");
        assertThat(apply.record().goodVersions()).containsExactly("1");
    }

    @Test
    void aScopeChangeIsRefusedOnlyWhileTheOldScopeKeepsVersions() {
        BundleRecord asHost =
                applied(Bundles.demo("demo", "1", Scope.Host, ReloadMode.Reload, false, false), List.of("1"));
        BundleDecision refused = BundlePlanner.decide(new BundlePlanner.Input(V2, asHost, true, true, 262));
        assertThat(refused)
                .isEqualTo(
                        new BundleDecision.Refuse(
                                "ScopeChange",
                                "bundle demo is applied with scope Host on"
                                        + " this node; changing the scope of a bundle in place is not supported: delete and re-create it"));
        assertThat(BundlePlanner.decide(new BundlePlanner.Input(V2, asHost, false, true, 262)))
                .isInstanceOf(BundleDecision.ApplyDirectory.class);
        // checked first: even a host without confext says why the bundle itself cannot go on
        assertThat(BundlePlanner.decide(new BundlePlanner.Input(V2, asHost, true, false, 250)))
                .isEqualTo(refused);
    }

    @Test
    void aHostWithoutConfextIsRefused() {
        assertThat(BundlePlanner.decide(new BundlePlanner.Input(V2, null, false, false, 252)))
                .isEqualTo(new BundleDecision.Refuse(
                        "NoConfextSupport", "the host has systemd 252; configuration extensions need systemd >= 254"));
    }

    @Test
    void aServiceBundleWithoutUnitsIsRefused() {
        DesiredBundleContent none = Bundles.demo("demo", "2", Scope.Service, ReloadMode.Reload, false, false);
        assertThat(decide(none, null))
                .isEqualTo(new BundleDecision.Refuse(
                        "NoUnits", "a Service-scope bundle needs at least one unit in spec.units"));
        assertThat(decide(Bundles.demo("demo", "2", Scope.Host, ReloadMode.Reload, false, false), null))
                .isInstanceOf(BundleDecision.ApplyDirectory.class);
    }

    @Test
    void anInvalidFileIsRefusedWithTheValidatorsWords() {
        RevisionContent c = new RevisionContent(
                "2",
                Scope.Host,
                List.of(),
                ResolvedSource.ofFiles(List.of(new ResolvedFile("../escape", "x", "0644"))),
                null,
                ReloadMode.None,
                0);
        BundleDecision d = decide(new DesiredBundleContent("demo", "demo-2", "sha256:2", false, c), null);
        assertThat(d).isInstanceOf(BundleDecision.Refuse.class);
        assertThat(((BundleDecision.Refuse) d).reason()).isEqualTo("InvalidBundle");
        assertThat(((BundleDecision.Refuse) d).message()).isNotBlank();
    }

    @Test
    void theSameFailedContentKeepsItsRecordedOutcome() {
        BundleRecord failed = applied(V2, List.of("1")).withFailure("2", V2.digest());
        assertThat(decide(V2, failed)).isInstanceOf(BundleDecision.KeepFailure.class);
        // new content under the same version is tried
        DesiredBundleContent fixed = new DesiredBundleContent("demo", "demo-2b", "sha256:other", false, V2.content());
        assertThat(decide(fixed, failed)).isInstanceOf(BundleDecision.ApplyDirectory.class);
        // a record without an outcome, or one in flight, is no recorded failure to keep
        BundleRecord noOutcome = new BundleRecord(
                "demo",
                Scope.Service,
                List.of("demo.service"),
                0,
                ReloadMode.Reload,
                "demo-2",
                V2.digest(),
                "2",
                List.of("1"),
                "2",
                V2.digest(),
                BundleStep.IDLE,
                null,
                null);
        assertThat(decide(V2, noOutcome)).isInstanceOf(BundleDecision.ApplyDirectory.class);
        assertThat(decide(V2, failed.withStep(BundleStep.ACTIVATING, "2")))
                .isInstanceOf(BundleDecision.ApplyDirectory.class);
    }

    @Test
    void anOlderVersionIsRefusedUnlessTheOperatorRollsBack() {
        BundleRecord at3 = applied(
                Bundles.demo("demo", "3", Scope.Service, ReloadMode.Reload, false, false, "demo.service"),
                List.of("3", "2"));
        BundleDecision refused = decide(V2, at3);
        assertThat(refused).isInstanceOf(BundleDecision.Refuse.class);
        assertThat(((BundleDecision.Refuse) refused).reason()).isEqualTo("DowngradeRefused");
        assertThat(((BundleDecision.Refuse) refused).message())
                .isEqualTo(DowngradeGuard.check("demo", "2", "3", false).orElseThrow());
        DesiredBundleContent rollback =
                Bundles.demo("demo", "2", Scope.Service, ReloadMode.Reload, false, true, "demo.service");
        assertThat(decide(rollback, at3)).isInstanceOf(BundleDecision.ApplyDirectory.class);
    }

    @Test
    void anInterruptedRollbackOfTheSameContentIsFinished() {
        BundleRecord rollingBack = applied(V2, List.of("1")).withStep(BundleStep.ROLLING_BACK, "2");
        BundleDecision d = decide(V2, rollingBack);
        assertThat(d).isInstanceOf(BundleDecision.FinishRollback.class);
        var finish = (BundleDecision.FinishRollback) d;
        assertThat(finish.failedVersion()).isEqualTo("2");
        assertThat(finish.interrupted().unit()).isEqualTo("demo.service");
        assertThat(finish.interrupted().reason()).isEqualTo("RollbackInterrupted");
        assertThat(finish.interrupted().ok()).isFalse();
        // before every host check: a host that lost confext still gets the failed version out
        assertThat(BundlePlanner.decide(new BundlePlanner.Input(V2, rollingBack, false, false, 250)))
                .isInstanceOf(BundleDecision.FinishRollback.class);
    }

    @Test
    void anInterruptedRollbackOfOtherContentIsClosedUnderItsOldDigest() {
        BundleRecord rollingBack = applied(V2, List.of("1")).withStep(BundleStep.ROLLING_BACK, "2");
        DesiredBundleContent v3 =
                Bundles.demo("demo", "3", Scope.Service, ReloadMode.Reload, false, false, "demo.service");
        BundleDecision d = decide(v3, rollingBack);
        assertThat(d).isInstanceOf(BundleDecision.CloseRollback.class);
        var close = (BundleDecision.CloseRollback) d;
        assertThat(close.failedVersion()).isEqualTo("2");
        assertThat(close.failedDigest()).isEqualTo(V2.digest());
        assertThat(close.record().desiredVersion()).isEqualTo("3");
        // the applier decides again on the closed record: now the other guards and the apply
        BundleRecord closed =
                close.record().withFailure("2", close.failedDigest()).withStep(BundleStep.IDLE, null);
        assertThat(decide(v3, closed)).isInstanceOf(BundleDecision.ApplyDirectory.class);
        // a journal entry without its version is nothing to finish
        assertThat(decide(v3, applied(V2, List.of("1")).withStep(BundleStep.ROLLING_BACK, null)))
                .isInstanceOf(BundleDecision.ApplyDirectory.class);
    }
}
