package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Reference to a ConfigMap holding the configuration files: without {@code items} each key is a file directly under
 * /etc, with them only the listed keys are, each at its own path and mode (as in a ConfigMap volume).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigMapRef {

    @Required
    @Size(min = 1, max = 253)
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the ConfigMap.")
    private String name;

    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
    @JsonPropertyDescription("Namespace of the ConfigMap (the bundle is cluster-scoped, so it must be given).")
    private String namespace;

    @Size(min = 1, max = 64)
    @ValidationRule(
            value = "self.all(i, self.exists_one(j, j.path == i.path))",
            message = "spec.source.configMapRef.items: each path may appear only once")
    // a file cannot also be a directory of another file: the agent could not stage both
    @ValidationRule(
            value = "self.all(i, !self.exists(j, j.path.startsWith(i.path + '/')))",
            message = "spec.source.configMapRef.items: a path may not be both a file and the directory of another file")
    @JsonPropertyDescription("Which keys become files, and where (as a ConfigMap volume's items): each key's value is "
            + "written to its path under /etc with its mode. Only the listed keys are used; a listed key missing from "
            + "the ConfigMap is an error. Without items every key is a file directly under /etc, mode 0644.")
    private List<ConfigMapItem> items;

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

    public List<ConfigMapItem> getItems() {
        return items;
    }

    public void setItems(List<ConfigMapItem> items) {
        this.items = items;
    }
}
