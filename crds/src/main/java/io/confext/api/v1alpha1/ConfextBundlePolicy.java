package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Who may create or change which ConfextBundles: the parameter resource of the chart's bundle
 * ValidatingAdmissionPolicy (helm templates/bundle-admission-policy.yaml). The API server, not the
 * operator, reads it; it has no status. Cluster-scoped (no Namespaced marker), because bundles are.
 */
@Group(ConfextBundle.GROUP)
@Version(ConfextBundle.VERSION)
@Kind("ConfextBundlePolicy")
@Plural("confextbundlepolicies")
@Singular("confextbundlepolicy")
@ShortNames("cxbp")
// No status: nothing reconciles a policy; the API server reads it on each admission.
@JsonIgnoreProperties("status")
@AdditionalPrinterColumn(
        name = "SIGNED",
        jsonPath = ".spec.requireSignedImages",
        type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(
        name = "AGE",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class ConfextBundlePolicy extends CustomResource<ConfextBundlePolicySpec, Void> {

    // Overridden only to give spec a description for `kubectl explain`.
    @Override
    @JsonPropertyDescription(
            "The rules every ConfextBundle create or spec change is checked against, and the grants that lift them for named requesters.")
    public ConfextBundlePolicySpec getSpec() {
        return super.getSpec();
    }
}
