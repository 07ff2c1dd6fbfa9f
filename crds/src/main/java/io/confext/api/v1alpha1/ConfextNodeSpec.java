package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Desired bundles of one node, written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfextNodeSpec {

    @Size(max = 256)
    @JsonPropertyDescription(
            "The bundles this node should have; a bundle that is absent here is removed from the host.")
    private List<DesiredBundle> bundles;

    public List<DesiredBundle> getBundles() {
        return bundles;
    }

    public void setBundles(List<DesiredBundle> bundles) {
        this.bundles = bundles;
    }
}
