package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A path a bundle ships that a bundle stacked above it ships too: the node shows the other bundle's file there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShadowedPath {

    @JsonPropertyDescription("Path relative to /etc.")
    private String path;

    @JsonPropertyDescription("The ConfextBundle whose file the node shows at that path: the topmost one that ships it.")
    private String by;

    public ShadowedPath() {}

    public ShadowedPath(String path, String by) {
        this.path = path;
        this.by = by;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getBy() {
        return by;
    }

    public void setBy(String by) {
        this.by = by;
    }
}
