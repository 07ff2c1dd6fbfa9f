package io.confext.agent.trust;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.v1alpha1.Scope;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeGateTest {
    static final String FILE = "/etc/confext-operator/policy.yaml";
    static final LoadedNodePolicy ABSENT = new LoadedNodePolicy.Absent(FILE);

    static NodeGate.Subject files(Scope scope, String... paths) {
        return new NodeGate.Subject("demo", scope, List.of(paths), false);
    }

    static LoadedNodePolicy policy(List<String> denied, Set<Scope> scopes) {
        return new LoadedNodePolicy.Present(FILE, new NodePolicy(denied, Optional.ofNullable(scopes), false));
    }

    @Test
    void theFloorDeniesTrustAnchorsAndTheAgentsPolicyWithoutAFile() {
        for (String p : List.of("verity.d/x.crt", "verity.d", "confext-operator/policy.yaml", "confext-operator")) {
            NodeVerdict v = NodeGate.check(ABSENT, files(Scope.Host, "demo/ok.conf", p));
            assertThat(v).as(p).isInstanceOf(NodeVerdict.Refused.class);
            NodeVerdict.Refused r = (NodeVerdict.Refused) v;
            assertThat(r.reason()).isEqualTo("NodePolicyDenied");
            assertThat(r.message()).contains("node policy floor").contains(p).doesNotContain("demo/ok.conf");
        }
        assertThat(NodeGate.check(ABSENT, files(Scope.Host, "demo/ok.conf", "verity.dx", "confext-operatorx/a")))
                .isEqualTo(NodeVerdict.ALLOWED);
    }

    @Test
    void theFileCannotLiftTheFloor() {
        LoadedNodePolicy permissive = policy(List.of(), Set.of(Scope.Service, Scope.Host));
        NodeVerdict v = NodeGate.check(
                permissive, new NodeGate.Subject("img", Scope.Service, List.of("verity.d", "verity.d/evil.crt"), true));
        assertThat(((NodeVerdict.Refused) v).message())
                .contains("rule verity.d/")
                .contains("the image of bundle img contains")
                .contains("verity.d/evil.crt");
    }

    @Test
    void deniedPathsFollowTheAdmissionPolicysSyntax() {
        LoadedNodePolicy p = policy(List.of("ssh/", "cron*", "shadow"), null);
        assertThat(NodeGate.check(p, files(Scope.Service, "ssh/sshd_config"))).isInstanceOf(NodeVerdict.Refused.class);
        assertThat(NodeGate.check(p, files(Scope.Service, "ssh"))).isInstanceOf(NodeVerdict.Refused.class);
        assertThat(NodeGate.check(p, files(Scope.Service, "cron.d/job"))).isInstanceOf(NodeVerdict.Refused.class);
        assertThat(NodeGate.check(p, files(Scope.Service, "shadow"))).isInstanceOf(NodeVerdict.Refused.class);
        assertThat(NodeGate.check(p, files(Scope.Service, "shadow.d/x", "sshd/x", "chrony/chrony.conf")))
                .isEqualTo(NodeVerdict.ALLOWED);
        NodeVerdict.Refused r =
                (NodeVerdict.Refused) NodeGate.check(p, files(Scope.Service, "a.conf", "cron.daily/x", "crontab"));
        assertThat(r.message())
                .isEqualTo("node policy " + FILE + ": rule deniedPaths cron*: bundle demo writes cron.daily/x,"
                        + " crontab under /etc, which this node denies");
    }

    @Test
    void allowedScopesRefuseOtherScopes() {
        LoadedNodePolicy serviceOnly = policy(List.of(), Set.of(Scope.Service));
        assertThat(NodeGate.check(serviceOnly, files(Scope.Service, "a"))).isEqualTo(NodeVerdict.ALLOWED);
        NodeVerdict.Refused r = (NodeVerdict.Refused) NodeGate.check(serviceOnly, files(Scope.Host, "a"));
        assertThat(r.reason()).isEqualTo("NodePolicyDenied");
        assertThat(r.message())
                .contains("rule allowedScopes")
                .contains("scope Host")
                .contains("only Service");
        assertThat(NodeGate.check(policy(List.of(), Set.of()), files(Scope.Service, "a")))
                .isInstanceOf(NodeVerdict.Refused.class);
    }

    @Test
    void aBrokenFileRefusesEveryBundle() {
        LoadedNodePolicy broken = new LoadedNodePolicy.Broken(FILE, "it is not UTF-8 text");
        NodeVerdict.Refused r = (NodeVerdict.Refused) NodeGate.check(broken, files(Scope.Service, "a"));
        assertThat(r.reason()).isEqualTo("NodePolicyInvalid");
        assertThat(r.message()).contains(FILE).contains("not UTF-8");
        assertThat(NodeGate.unusable(broken)).contains(r);
        assertThat(NodeGate.unusable(ABSENT)).isEmpty();
    }

    @Test
    void manyHitsAreCountedNotAllListed() {
        List<String> many = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> "ssh/f" + i)
                .toList();
        NodeVerdict.Refused r = (NodeVerdict.Refused)
                NodeGate.check(policy(List.of("ssh/"), null), new NodeGate.Subject("demo", Scope.Service, many, false));
        assertThat(r.message())
                .contains("ssh/f0")
                .contains("ssh/f4")
                .doesNotContain("ssh/f5")
                .contains("and 3 more");
    }
}
