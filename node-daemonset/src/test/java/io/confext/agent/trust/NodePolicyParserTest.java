package io.confext.agent.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.confext.api.v1alpha1.Scope;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodePolicyParserTest {

    @Test
    void readsEveryRule() {
        NodePolicy p = NodePolicyParser.parse("""
                # the platform team's last line
                deniedPaths: [ssh/, "cron*", shadow]
                allowedScopes:
                  - Service
                requireSignedImages: true
                """);
        assertThat(p.deniedPaths()).containsExactly("ssh/", "cron*", "shadow");
        assertThat(p.allowedScopes()).contains(Set.of(Scope.Service));
        assertThat(p.requireSignedImages()).isTrue();
    }

    @Test
    void leftOutMeansNoRestriction() {
        assertThat(NodePolicyParser.parse("")).isEqualTo(NodePolicy.NONE);
        assertThat(NodePolicyParser.parse("# nothing yet\n")).isEqualTo(NodePolicy.NONE);
        NodePolicy p = NodePolicyParser.parse("deniedPaths: [pam.d/]\n");
        assertThat(p.allowedScopes()).isEmpty();
        assertThat(p.requireSignedImages()).isFalse();
        assertThat(NodePolicyParser.parse("allowedScopes: []\n").allowedScopes())
                .contains(Set.of());
    }

    @Test
    void mistakesAreErrorsNotSilentlyIgnored() {
        for (String bad : List.of(
                "deniedPath: [ssh/]\n",
                "deniedPaths: ssh/\n",
                "allowedScopes: [Hosts]\n",
                "deniedPaths: [/etc/ssh/]\n",
                "deniedPaths: ['*']\n",
                "deniedPaths: ['']\n",
                "requireSignedImages: maybe\n",
                "[a, b]\n",
                "deniedPaths: [ssh/\n",
                "deniedPaths: [~]\n")) {
            assertThatThrownBy(() -> NodePolicyParser.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("Exception");
        }
        assertThatThrownBy(() -> NodePolicyParser.parse("allowedScopes: [Hosts]\n"))
                .hasMessageContaining("'Hosts'");
        assertThatThrownBy(() -> NodePolicyParser.parse("deniedPath: [ssh/]\n")).hasMessageContaining("deniedPath");
    }

    @Test
    void anOversizedFileIsRefused() {
        assertThatThrownBy(() -> NodePolicyParser.parse("#" + "x".repeat(NodePolicyParser.MAX_BYTES)))
                .hasMessageContaining("larger than");
    }
}
