package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A health check's GET on the node's loopback, like a probe's httpGet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpGetCheck {

    @Required
    @Min(1)
    @Max(65535)
    @JsonPropertyDescription("TCP port on 127.0.0.1. 1 to 65535.")
    private Integer port;

    @Default("/")
    @Size(min = 1, max = 2048)
    @ValidationRule(
            value = "self.startsWith('/') && !self.matches('.*[\\\\s#].*')",
            message = "spec.healthChecks[].httpGet.path: must start with '/' and hold no blank or '#'")
    @JsonPropertyDescription("Path and query of the URL, starting with '/'. Default /.")
    private String path;

    @Default("HTTP")
    @JsonPropertyDescription("HTTP (default) or HTTPS (the certificate is not verified, as for a kubelet probe).")
    private HttpScheme scheme;

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public HttpScheme getScheme() {
        return scheme;
    }

    public void setScheme(HttpScheme scheme) {
        this.scheme = scheme;
    }
}
