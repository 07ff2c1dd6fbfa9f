package io.confext.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** Canary step of a rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Canary {

    @Min(0)
    @JsonPropertyDescription("Number of canary nodes updated first. >= 0 (0: no canary step).")
    private Integer count;

    public Integer getCount() {
        return count;
    }

    public void setCount(Integer count) {
        this.count = count;
    }
}
