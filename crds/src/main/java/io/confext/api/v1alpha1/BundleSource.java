package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Where the configuration comes from: exactly one of image, oci, files, configMapRef or secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value =
                "(has(self.image) ? 1 : 0) + (has(self.oci) ? 1 : 0) + (has(self.files) ? 1 : 0) + (has(self.configMapRef) ? 1 : 0) + (has(self.secret) ? 1 : 0) == 1",
        message = "spec.source: set exactly one of image, oci, files, configMapRef or secret")
public class BundleSource {

    @JsonPropertyDescription("A confext image (DDI or naked erofs/squashfs) downloaded by the node agent and checked "
            + "against its sha256.")
    private ImageSource image;

    @JsonPropertyDescription("A confext image stored as an OCI artifact in a registry, pulled by the node agents by "
            + "manifest digest (docs/api.md, OCI artifacts).")
    private OciSource oci;

    @Size(min = 1, max = 64)
    @ValidationRule(
            value = "self.map(f, has(f.content) ? size(f.content) : 0).sum() <= 262144",
            message =
                    "spec.source.files: inline content must total at most 262144 characters (256 KiB); use an image source for more")
    @ValidationRule(
            value = "self.all(f, self.exists_one(g, g.path == f.path))",
            message = "spec.source.files: each path may appear only once")
    // a file cannot also be a directory of another file: the agent could not stage both
    @ValidationRule(
            value = "self.all(f, !self.exists(g, g.path.startsWith(f.path + '/')))",
            message = "spec.source.files: a path may not be both a file and the directory of another file")
    @JsonPropertyDescription("Small inline configuration files, placed under /etc by a directory extension. At most 64 "
            + "files and 256 KiB of content in total.")
    private List<InlineFile> files;

    @JsonPropertyDescription("A ConfigMap whose text keys become files: directly under /etc, mode 0644 (key = file "
            + "name), or with items at the paths and modes they give, as a ConfigMap volume. Its content is frozen when "
            + "the version changes; binaryData is refused.")
    private ConfigMapRef configMapRef;

    @JsonPropertyDescription("A Secret whose keys become files: directly under /etc, mode 0600 (key = file name), or "
            + "with items at the paths and modes they give, as a Secret volume. Its content is frozen when the version "
            + "changes into a copy Secret in the operator's namespace; the revision holds only each file's sha256.")
    private SecretSource secret;

    public ImageSource getImage() {
        return image;
    }

    public void setImage(ImageSource image) {
        this.image = image;
    }

    public OciSource getOci() {
        return oci;
    }

    public void setOci(OciSource oci) {
        this.oci = oci;
    }

    public List<InlineFile> getFiles() {
        return files;
    }

    public void setFiles(List<InlineFile> files) {
        this.files = files;
    }

    public ConfigMapRef getConfigMapRef() {
        return configMapRef;
    }

    public void setConfigMapRef(ConfigMapRef configMapRef) {
        this.configMapRef = configMapRef;
    }

    public SecretSource getSecret() {
        return secret;
    }

    public void setSecret(SecretSource secret) {
        this.secret = secret;
    }
}
