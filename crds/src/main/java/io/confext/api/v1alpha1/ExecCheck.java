package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** A health check's command, like a probe's exec: no shell, argv as given. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.unit) || !has(self.runIn) || self.runIn == 'Unit'",
        message = "spec.healthChecks[].exec.unit: only a check run in a unit's namespaces (runIn: Unit) names a unit")
public class ExecCheck {

    @Required
    @Size(min = 1, max = 32)
    @JsonPropertyDescription(
            "The command and its arguments, run without a shell (use [\"sh\", \"-c\", \"...\"] for one)."
                    + " Exit status 0 passes.")
    private List<@Size(min = 1, max = 4096) String> command;

    @Default("Unit")
    @JsonPropertyDescription("Unit (default): in all namespaces of the unit's main process, so it sees /etc as the unit"
            + " does. Host: in the host's namespaces.")
    private CheckNamespace runIn;

    @Size(min = 1, max = 255)
    @JsonPropertyDescription("Which of spec.units to run in (runIn: Unit). Default: the first of spec.units.")
    private String unit;

    public List<String> getCommand() {
        return command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public CheckNamespace getRunIn() {
        return runIn;
    }

    public void setRunIn(CheckNamespace runIn) {
        this.runIn = runIn;
    }

    public String getUnit() {
        return unit;
    }

    public void setUnit(String unit) {
        this.unit = unit;
    }
}
