package io.confext.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict}: no errors and no warnings (strict turns warnings into failures). */
class HelmLintTest {

    @Test
    void lintStrictIsClean() {
        LintResult result =
                new Helm(ChartLocation.fromBuild().chart()).lint().strict().call();
        assertThat(result.getMessages())
                .as("lint messages")
                .noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
        assertThat(result.isFailed())
                .as("lint failed: %s", result.getMessages())
                .isFalse();
    }
}
