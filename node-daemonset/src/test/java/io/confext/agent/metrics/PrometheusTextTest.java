package io.confext.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.testsupport.metrics.PrometheusText;
import org.junit.jupiter.api.Test;

/** The test-support parser the metric tests read pages with (test-support has no tests of its own). */
class PrometheusTextTest {

    private static final String PAGE = """
            # HELP confext_agent_failures_total failures
            # TYPE confext_agent_failures_total counter
            confext_agent_failures_total{bundle="chrony",reason="ReloadFailed",} 2.0
            confext_agent_failures_total{bundle="sshd",reason="VerityRootHashMismatch"} 1.0 1733200000000
            odd{path="a \\"quoted\\" \\\\ value, with a comma"} +Inf
            up 1
            """;

    @Test
    void readsNamesLabelsAndValues() {
        PrometheusText p = PrometheusText.parse(PAGE);
        assertThat(p.samples()).hasSize(4);
        assertThat(p.value("confext_agent_failures_total", "bundle", "chrony")).isEqualTo(2.0);
        assertThat(p.value("confext_agent_failures_total", "reason", "VerityRootHashMismatch"))
                .isEqualTo(1.0);
        assertThat(p.sum("confext_agent_failures_total")).isEqualTo(3.0);
        assertThat(p.sum("confext_agent_failures_total", "bundle", "none")).isZero();
        assertThat(p.find("odd").get(0).labels()).containsEntry("path", "a \"quoted\" \\ value, with a comma");
        assertThat(p.value("odd")).isInfinite();
        assertThat(p.value("up")).isEqualTo(1.0);
        assertThat(p.hasAny("confext_agent_")).isTrue();
        assertThat(p.hasAny("jvm_")).isFalse();
    }

    @Test
    void aMissingOrAmbiguousSampleAndABadLineAreErrorsThatSayWhich() {
        PrometheusText p = PrometheusText.parse(PAGE);
        assertThatThrownBy(() -> p.value("confext_agent_failures_total"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("found [");
        assertThatThrownBy(() -> p.value("nothing"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("nothing");
        assertThatThrownBy(() -> PrometheusText.parse("ok 1\nbroken{a=\"1\" 2\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> PrometheusText.parse("novalue\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1");
    }
}
