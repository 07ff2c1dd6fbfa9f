package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One inline configuration file. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InlineFile {

    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(
            value = "!self.startsWith('/')",
            message = "spec.source.files[].path: must be relative to /etc, without a leading '/'")
    @ValidationRule(
            value = "self.matches('^[A-Za-z0-9._@:+=,%~/-]+$')",
            message = "spec.source.files[].path: only letters, digits and . _ @ : + = , % ~ / - are allowed")
    @ValidationRule(
            value = "!self.matches('(^|/)[.][.]?(/|$)')",
            message = "spec.source.files[].path: must not contain '.' or '..' components")
    @ValidationRule(
            value = "!self.contains('//') && !self.endsWith('/')",
            message = "spec.source.files[].path: must not contain '//' or end with '/'")
    @ValidationRule(
            value = "!self.matches('(^|/)os-release(/|$)')",
            message = "spec.source.files[].path: must not name os-release (a confext must not carry os-release files)")
    @ValidationRule(
            value = "!self.matches('^extension-release[.]d(/|$)')",
            message =
                    "spec.source.files[].path: must not be under extension-release.d/ (the agent writes the extension-release file itself)")
    @JsonPropertyDescription(
            "Path relative to /etc, for example chrony/chrony.conf. Letters, digits and . _ @ : + = , %"
                    + " ~ / - only; no leading '/', no '.' or '..' components, no '//'; must not name os-release "
                    + "or lie under extension-release.d/ (the agent writes the extension-release file itself).")
    private String path;

    @Required
    @Size(max = 262144)
    @JsonPropertyDescription("File content (UTF-8 text), at most 256 KiB.")
    private String content;

    @Default("0644")
    @Size(max = 4)
    @ValidationRule(
            value = "self.matches('^0?[0-7]{3}$')",
            message =
                    "spec.source.files[].mode: must be an octal string from 0000 to 0777 (setuid, setgid and sticky bits are not allowed)")
    @JsonPropertyDescription("File mode as an octal string from 0000 to 0777, default 0644. setuid, setgid and sticky "
            + "bits are refused.")
    private String mode;

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getContent() {
        return content;
    }

    public void setContent(String content) {
        this.content = content;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }
}
