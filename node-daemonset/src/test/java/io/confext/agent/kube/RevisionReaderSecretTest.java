package io.confext.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.confext.api.revision.ResolvedFile;
import io.confext.api.revision.RevisionContent;
import io.confext.api.revision.RevisionDigest;
import io.confext.api.status.Reason;
import io.confext.api.v1alpha1.BundlePhase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Secret-sourced revision: the agent gets the copy Secret by name (fabric8's mock API server), checks each value
 * against the sha256 the revision pins, and hands the host inline files; a changed or missing copy is refused.
 */
class RevisionReaderSecretTest {
    static final String VALUE = "token=s3cr3t-value\n";
    MockApi api;

    @BeforeEach
    void start() throws Exception {
        api = new MockApi();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    RevisionRead read(String revision, RevisionContent c) {
        api.admin.resource(Fixtures.revision(revision, c)).create();
        return new RevisionReader(api.agentClient).read(Fixtures.desired("demo", revision, c));
    }

    @Test
    void aMatchingCopyBecomesTheFilesWithTheirModesAndTheRevisionsDigest() throws Exception {
        RevisionContent c = Fixtures.secretContent("1", "demo-secret-aaaa", VALUE, "0600");
        api.admin
                .resource(Fixtures.copySecret("demo-secret-aaaa", "token", VALUE))
                .create();

        RevisionRead read = read("demo-1", c);

        assertThat(read).isInstanceOf(RevisionRead.Resolved.class);
        var content = ((RevisionRead.Resolved) read).content();
        assertThat(content.digest()).isEqualTo(RevisionDigest.of(c));
        assertThat(content.content().source().files())
                .containsExactly(new ResolvedFile("demo/token.conf", VALUE, "0600"));
        assertThat(api.agentRequests())
                .as("the agent gets the copy by name; it never lists or watches Secrets")
                .filteredOn(r -> r.contains("/secrets"))
                .containsExactly("GET /api/v1/namespaces/" + Fixtures.COPY_NAMESPACE + "/secrets/demo-secret-aaaa");
    }

    @Test
    void aCopyWhoseValueChangedIsRefusedWithoutPrintingIt() {
        RevisionContent c = Fixtures.secretContent("1", "demo-secret-bbbb", VALUE, "0600");
        api.admin
                .resource(Fixtures.copySecret("demo-secret-bbbb", "token", "token=tampered\n"))
                .create();

        var refused = (RevisionRead.Unresolved) read("demo-1", c);

        assertThat(refused.phase()).isEqualTo(BundlePhase.Failed);
        assertThat(refused.reason()).isEqualTo(Reason.SecretContentChanged.name());
        assertThat(refused.retry()).isFalse();
        assertThat(refused.message())
                .contains("demo-secret-bbbb", "\"token\"", "demo/token.conf")
                .doesNotContain("tampered")
                .doesNotContain("s3cr3t");
    }

    @Test
    void aMissingCopyOrKeyIsUnavailableAndAskedForAgain() {
        RevisionContent c = Fixtures.secretContent("1", "demo-secret-cccc", VALUE, "0600");
        var missing = (RevisionRead.Unresolved) read("demo-1", c);
        assertThat(missing.phase()).isEqualTo(BundlePhase.Pending);
        assertThat(missing.reason()).isEqualTo(Reason.SecretUnavailable.name());
        assertThat(missing.retry()).isTrue();
        assertThat(missing.message()).contains("demo-secret-cccc", "platform/demo-keys");

        RevisionContent d = Fixtures.secretContent("2", "demo-secret-dddd", VALUE, "0600");
        api.admin
                .resource(Fixtures.copySecret("demo-secret-dddd", "other", VALUE))
                .create();
        var noKey = (RevisionRead.Unresolved) read("demo-2", d);
        assertThat(noKey.reason()).isEqualTo(Reason.SecretUnavailable.name());
        assertThat(noKey.message()).contains("\"token\"");
    }
}
