package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One Secret key projected to a path under /etc, as a Secret volume's {@code items[]} project keys into a
 * volume. The path is checked by the same rules as an inline file's path ({@link InlineFile}), with messages that
 * name this field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretItem {

    @Required
    @Size(min = 1, max = 253)
    @Pattern("^[-._a-zA-Z0-9]+$")
    @JsonPropertyDescription("The Secret key whose value becomes the file.")
    private String key;

    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(
            value = "!self.startsWith('/')",
            message = "spec.source.secret.items[].path: must be relative to /etc, without a leading '/'")
    @ValidationRule(
            value = "self.matches('^[A-Za-z0-9._@:+=,%~/-]+$')",
            message = "spec.source.secret.items[].path: only letters, digits and . _ @ : + = , % ~ / - are allowed")
    @ValidationRule(
            value = "!self.matches('(^|/)[.][.]?(/|$)')",
            message = "spec.source.secret.items[].path: must not contain '.' or '..' components")
    @ValidationRule(
            value = "!self.contains('//') && !self.endsWith('/')",
            message = "spec.source.secret.items[].path: must not contain '//' or end with '/'")
    @ValidationRule(
            value = "!self.matches('(^|/)os-release(/|$)')",
            message =
                    "spec.source.secret.items[].path: must not name os-release (a confext must not carry os-release files)")
    @ValidationRule(
            value = "!self.matches('^extension-release[.]d(/|$)')",
            message =
                    "spec.source.secret.items[].path: must not be under extension-release.d/ (the agent writes the extension-release file itself)")
    @JsonPropertyDescription("Path relative to /etc, for example chrony/conf.d/10-pool.conf; the same rules as "
            + "spec.source.files[].path.")
    private String path;

    @Default("0600")
    @Size(max = 4)
    @ValidationRule(
            value = "self.matches('^0?[0-7]{3}$')",
            message =
                    "spec.source.secret.items[].mode: must be an octal string from 0000 to 0777 (setuid, setgid and sticky bits are not allowed)")
    @JsonPropertyDescription(
            "File mode as an octal string from 0000 to 0777, default 0600 (owner only: the content is secret).")
    private String mode;

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }
}
