package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A confext image downloaded by the node agent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value =
                "!has(self.url) || self.url.startsWith('https://') || (self.url.startsWith('http://') && has(self.allowInsecureHttp) && self.allowInsecureHttp)",
        message = "spec.source.image.url: must start with https:// (plain http:// only with allowInsecureHttp: true)",
        fieldPath = ".url")
public class ImageSource {

    @Required
    @Size(min = 8, max = 2048)
    @JsonPropertyDescription("Download URL of the image. Must start with https:// (plain http:// only with "
            + "allowInsecureHttp: true; the sha256 still protects the content).")
    private String url;

    @Required
    @Size(max = 64)
    @ValidationRule(
            value = "self.matches('^[0-9a-f]{64}$')",
            message =
                    "spec.source.image.sha256: must be exactly 64 lowercase hex digits (the SHA-256 of the image file)")
    @JsonPropertyDescription("SHA-256 of the image file: 64 lowercase hex digits. The agent refuses a download with "
            + "another digest.")
    private String sha256;

    @JsonPropertyDescription("Allow a plain http:// url. Default false.")
    private Boolean allowInsecureHttp;

    @Min(1)
    @JsonPropertyDescription("Refuse downloads larger than this many bytes. Default: the agent's limit.")
    private Long sizeLimitBytes;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public Boolean getAllowInsecureHttp() {
        return allowInsecureHttp;
    }

    public void setAllowInsecureHttp(Boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    public Long getSizeLimitBytes() {
        return sizeLimitBytes;
    }

    public void setSizeLimitBytes(Long sizeLimitBytes) {
        this.sizeLimitBytes = sizeLimitBytes;
    }
}
