package io.confext.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.agent.fetch.FetchFailure;
import io.confext.agent.kube.RevisionRead.Unresolved;
import io.confext.agent.verify.ReasonCode;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import org.junit.jupiter.api.Test;

/**
 * The agent's reasons come from the shared catalogue: the image and download codes name the words they reported
 * before the catalogue, and the records that carry a reason to the status refuse a word outside it.
 */
class ReasonWordsTest {

    @Test
    void imageRefusalCodesReportTheirCamelCaseWord() {
        for (ReasonCode code : ReasonCode.values()) {
            assertThat(code.reason().name()).as(code.name()).isEqualTo(ImageStager.camel(code.name()));
        }
    }

    @Test
    void downloadFailuresReportDownloadAndTheirCamelCaseWord() {
        for (FetchFailure f : FetchFailure.values()) {
            if (f == FetchFailure.NO_ROOM) { // the node's disk, not the download: one word with a directory version's
                assertThat(f.reason()).isEqualTo(Reason.DiskSpaceLow);
                continue;
            }
            assertThat(f.reason().name()).as(f.name()).isEqualTo("Download" + ImageStager.camel(f.name()));
        }
    }

    @Test
    void aReasonOutsideTheCatalogueIsRefusedWhereItIsMade() {
        assertThatThrownBy(() -> new UnitOutcome("u.service", false, "Boom", "m", null, 0, Activation.Action.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Activation(Activation.Action.RESTART, "restart", "m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BundleDecision.Refuse("IOException", "m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageStager.Result.Refused("Refused", "m"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Unresolved(BundlePhase.Failed, "Nope", "m", false))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(new UnitOutcome("u.service", true, Reason.Proven, "m", "2", 7, Activation.Action.RELOAD).reason())
                .isEqualTo("Proven");
        assertThat(new BundleDecision.Refuse(Reason.NoUnits, "m").reason()).isEqualTo("NoUnits");
    }
}
