package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A versioned configuration overlay for /etc, rolled out to the matching nodes in waves.
 * Cluster-scoped (no Namespaced marker): it targets nodes, which are cluster-scoped too.
 */
@Group(ConfextBundle.GROUP)
@Version(ConfextBundle.VERSION)
@Kind("ConfextBundle")
@Plural("confextbundles")
@Singular("confextbundle")
@ShortNames("cxb")
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "UPDATED", jsonPath = ".status.updated", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.ready", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "FAILED", jsonPath = ".status.failed", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "NOT-ELIGIBLE",
        jsonPath = ".status.notEligible",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "AGE",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
// The name becomes host file names (<name>.v/<name>_<version>.raw, extension-release.<name>):
// with a 64-character version it must stay well below the 255-byte file name limit. (No fieldPath:
// the API server accepts only paths into the schema, and metadata is not part of it.)
@ValidationRule(
        value = "size(self.metadata.name) <= 128",
        message = "metadata.name: at most 128 characters (it names the extension's files on the host)")
public class ConfextBundle extends CustomResource<ConfextBundleSpec, ConfextBundleStatus> {

    public static final String GROUP = "confext.io";
    public static final String VERSION = "v1alpha1";

    // Overridden only to give spec and status a description for `kubectl explain`.
    @Override
    @JsonPropertyDescription(
            "Desired state: the configuration version, its source, the units it is for, and how it rolls out. Written by users.")
    public ConfextBundleSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Observed state of the rollout, written by the operator only.")
    public ConfextBundleStatus getStatus() {
        return super.getStatus();
    }
}
