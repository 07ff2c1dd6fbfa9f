package io.confext.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.revision.ResolvedImage;
import io.confext.api.revision.ResolvedSource;
import io.confext.api.revision.ResolvedVerification;
import io.confext.api.revision.RevisionContent;
import io.confext.api.v1alpha1.ReloadMode;
import io.confext.api.v1alpha1.Scope;
import io.confext.api.v1alpha1.TrustSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The resolver accepts trust only from the revision's (release) namespace or the node (fabric8's mock API server). */
class RevisionReaderTrustTest {
    MockApi api;

    @BeforeEach
    void start() throws Exception {
        api = new MockApi();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    static RevisionContent image(ResolvedVerification v) {
        return new RevisionContent(
                "1",
                Scope.Service,
                List.of("demo.service"),
                ResolvedSource.ofImage(
                        new ResolvedImage("https://images.example/demo_1.raw", "a".repeat(64), false, null)),
                v,
                ReloadMode.Reload,
                0);
    }

    RevisionRead resolve(String name, RevisionContent c) {
        api.admin.resource(Fixtures.revision(name, c)).create();
        return new RevisionReader(api.admin).read(Fixtures.desired("demo", name, c));
    }

    @Test
    void trustFromTheReleaseNamespaceOrTheNodeIsResolved() {
        assertThat(resolve("node-trust", image(new ResolvedVerification(true, TrustSource.Node, List.of()))))
                .isInstanceOf(RevisionRead.Resolved.class);
        assertThat(resolve(
                        "release-secret",
                        image(new ResolvedVerification(true, TrustSource.Secret, List.of("pem"), Fixtures.NAMESPACE))))
                .isInstanceOf(RevisionRead.Resolved.class);
    }

    @Test
    void trustFromAnotherNamespaceOrOfUnknownOriginIsRefused() {
        var other = (RevisionRead.Unresolved) resolve(
                "team-secret", image(new ResolvedVerification(true, TrustSource.Secret, List.of("pem"), "team-a")));
        assertThat(other.reason()).isEqualTo("TrustNamespaceNotAllowed");
        assertThat(other.retry()).isFalse();
        assertThat(other.message())
                .contains("ControllerRevision " + Fixtures.NAMESPACE + "/team-secret")
                .contains("team-a");
        var unknown = (RevisionRead.Unresolved)
                resolve("old-secret", image(new ResolvedVerification(true, TrustSource.Secret, List.of("pem"))));
        assertThat(unknown.reason()).isEqualTo("TrustProvenanceUnknown");
    }
}
