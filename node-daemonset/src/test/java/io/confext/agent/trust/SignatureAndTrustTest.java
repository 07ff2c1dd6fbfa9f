package io.confext.agent.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.revision.ResolvedVerification;
import io.confext.api.v1alpha1.TrustSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureAndTrustTest {
    static final String FILE = NodePolicyFile.DEFAULT_HOST_PATH;

    @Test
    void theBundleCannotLowerWhatThePlatformOrTheNodeRequire() {
        assertThat(new SignatureRequirement(false, false, false, FILE).required())
                .isFalse();
        assertThat(new SignatureRequirement(false, true, false, FILE).required())
                .isTrue();
        assertThat(new SignatureRequirement(false, false, true, FILE).required())
                .isTrue();
        assertThat(new SignatureRequirement(true, false, false, FILE).required())
                .isTrue();
    }

    @Test
    void aRequirementTheBundleDidNotAskForIsRefusedAsSignatureRequired() {
        var platform = new SignatureRequirement(false, true, false, FILE)
                .refusal("no root-verity-sig partition")
                .orElseThrow();
        assertThat(platform.reason()).isEqualTo("SignatureRequired");
        assertThat(platform.message())
                .contains("confext.agent.require-signed-images")
                .contains("policy.requireSignedImages")
                .contains("no root-verity-sig partition");
        var node =
                new SignatureRequirement(false, false, true, FILE).refusal("x").orElseThrow();
        assertThat(node.message()).contains("requireSignedImages in " + FILE).doesNotContain("confext.agent");
        // the bundle asked itself: its own reason (SignatureMissing) stands
        assertThat(new SignatureRequirement(true, true, true, FILE).refusal("x"))
                .isEmpty();
    }

    @Test
    void trustOnlyFromTheReleaseNamespaceOrTheNode() {
        assertThat(TrustProvenance.check("confext-system", null)).isEmpty();
        assertThat(TrustProvenance.check("confext-system", new ResolvedVerification(true, TrustSource.Node, List.of())))
                .isEmpty();
        assertThat(TrustProvenance.check(
                        "confext-system",
                        new ResolvedVerification(true, TrustSource.Secret, List.of("pem"), "confext-system")))
                .isEmpty();
        var other = TrustProvenance.check(
                        "confext-system", new ResolvedVerification(true, TrustSource.Secret, List.of("pem"), "team-a"))
                .orElseThrow();
        assertThat(other.reason()).isEqualTo("TrustNamespaceNotAllowed");
        assertThat(other.message()).contains("team-a").contains("confext-system");
        var unknown = TrustProvenance.check(
                        "confext-system", new ResolvedVerification(true, TrustSource.Secret, List.of("pem")))
                .orElseThrow();
        assertThat(unknown.reason()).isEqualTo("TrustProvenanceUnknown");
    }
}
