package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * A Secret whose keys become files, shaped like a Secret volume: without {@code items} each key is a file directly
 * under /etc (mode 0600), with them only the listed keys are, each at its own path and mode. The operator copies the
 * named keys into a per-revision copy Secret when it freezes a version; the ControllerRevision holds only the copy's
 * name and each file's sha256 (docs/security.md, Secret sources).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretSource {

    @Required
    @Size(min = 1, max = 253)
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Secret.")
    private String name;

    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Namespace of the Secret (the bundle is cluster-scoped, so it must be given); the same "
            + "namespaces as for ConfigMap sources are allowed.")
    private String namespace;

    @Size(min = 1, max = 64)
    @ValidationRule(
            value = "self.all(i, self.exists_one(j, j.path == i.path))",
            message = "spec.source.secret.items: each path may appear only once")
    // a file cannot also be a directory of another file: the agent could not stage both
    @ValidationRule(
            value = "self.all(i, !self.exists(j, j.path.startsWith(i.path + '/')))",
            message = "spec.source.secret.items: a path may not be both a file and the directory of another file")
    @JsonPropertyDescription("Which keys become files, and where (as a Secret volume's items): each key's value is "
            + "written to its path under /etc with its mode. Only the listed keys are read; a listed key missing from "
            + "the Secret is an error. Without items every key is a file directly under /etc, mode 0600.")
    private List<SecretItem> items;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public List<SecretItem> getItems() {
        return items;
    }

    public void setItems(List<SecretItem> items) {
        this.items = items;
    }
}
