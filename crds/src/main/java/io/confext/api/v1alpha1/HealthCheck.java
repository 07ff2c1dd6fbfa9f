package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A check of the bundle's own, shaped like a Kubernetes probe: run during and after the health window
 * (minReadySeconds) on each node that has the version; failureThreshold failures in a row fail the version there
 * (inside the window) or make the node Degraded (after it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.exec) != has(self.httpGet)",
        message = "spec.healthChecks: each check needs exactly one of exec or httpGet")
public class HealthCheck {

    @Required
    @Size(min = 1, max = 63)
    @ValidationRule(
            value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
            message = "spec.healthChecks[].name: use a DNS label (a-z, 0-9 and '-', 1 to 63 characters)")
    @JsonPropertyDescription(
            "Name of the check, shown in the node's status when it fails. A DNS label, unique in the bundle.")
    private String name;

    @JsonPropertyDescription("Run a command; exit status 0 passes.")
    private ExecCheck exec;

    @JsonPropertyDescription(
            "GET a URL on the node's loopback (the agent runs in the host's network namespace); a status"
                    + " from 200 to 399 passes.")
    private HttpGetCheck httpGet;

    @Min(1)
    @Max(300)
    @JsonPropertyDescription("Seconds after which one run counts as failed. 1 to 300, default 1.")
    private Integer timeoutSeconds;

    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Seconds between two runs. 1 to 3600, default 10.")
    private Integer periodSeconds;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Failed runs in a row that fail the check. 1 to 100, default 3.")
    private Integer failureThreshold;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public ExecCheck getExec() {
        return exec;
    }

    public void setExec(ExecCheck exec) {
        this.exec = exec;
    }

    public HttpGetCheck getHttpGet() {
        return httpGet;
    }

    public void setHttpGet(HttpGetCheck httpGet) {
        this.httpGet = httpGet;
    }

    public Integer getTimeoutSeconds() {
        return timeoutSeconds;
    }

    public void setTimeoutSeconds(Integer timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    public Integer getPeriodSeconds() {
        return periodSeconds;
    }

    public void setPeriodSeconds(Integer periodSeconds) {
        this.periodSeconds = periodSeconds;
    }

    public Integer getFailureThreshold() {
        return failureThreshold;
    }

    public void setFailureThreshold(Integer failureThreshold) {
        this.failureThreshold = failureThreshold;
    }
}
