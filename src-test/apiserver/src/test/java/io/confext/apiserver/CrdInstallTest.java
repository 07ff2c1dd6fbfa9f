package io.confext.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated CRDs install on a real API server, which then serves both kinds cluster-scoped with status. */
@RealApiServerTest
class CrdInstallTest {

    @Test
    void generatedCrdsInstallAndAreServed(ApiServer server) {
        List<CustomResourceDefinition> installed =
                Crds.installAll(server.admin(), RepoFiles.fromBuild().crds());

        assertThat(installed)
                .extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "confextbundles.confext.io", "confextnodes.confext.io", "confextbundlepolicies.confext.io");
        List<APIResource> served =
                server.admin().getApiResources("confext.io/v1alpha1").getResources();
        assertThat(served)
                .extracting(APIResource::getName)
                .contains("confextbundles", "confextbundles/status", "confextnodes", "confextnodes/status");
        assertThat(served)
                .filteredOn(r -> !r.getName().contains("/"))
                .allSatisfy(r -> assertThat(r.getNamespaced())
                        .as(r.getName() + " namespaced")
                        .isFalse());
        assertThat(served)
                .filteredOn(r -> r.getName().equals("confextbundles"))
                .singleElement()
                .satisfies(r -> assertThat(r.getShortNames()).contains("cxb"));
        assertThat(served)
                .filteredOn(r -> r.getName().equals("confextnodes"))
                .singleElement()
                .satisfies(r -> assertThat(r.getShortNames()).contains("cxn"));
    }
}
