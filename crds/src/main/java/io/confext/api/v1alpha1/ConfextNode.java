package io.confext.api.v1alpha1;

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
 * One node's desired bundles (spec, written by the operator) and what the node really has
 * (status, written by that node's agent). Named like the Kubernetes Node; cluster-scoped.
 */
@Group(ConfextBundle.GROUP)
@Version(ConfextBundle.VERSION)
@Kind("ConfextNode")
@Plural("confextnodes")
@Singular("confextnode")
@ShortNames("cxn")
@AdditionalPrinterColumn(
        name = "ACTIVE",
        jsonPath = ".status.activeBundles",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "FAILED",
        jsonPath = ".status.failedBundles",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "SYSTEMD",
        jsonPath = ".status.host.systemdVersion",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "AGE",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class ConfextNode extends CustomResource<ConfextNodeSpec, ConfextNodeStatus> {
    // Overridden only to give spec and status a description for `kubectl explain`.
    @Override
    @JsonPropertyDescription("The bundles this node should have, at frozen revisions. Written by the operator only.")
    public ConfextNodeSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What this node really has, written by this node's agent only.")
    public ConfextNodeStatus getStatus() {
        return super.getStatus();
    }
}
