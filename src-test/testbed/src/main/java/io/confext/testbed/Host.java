package io.confext.testbed;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Which host a {@link SystemdHost} parameter gets from {@link SystemdHostExtension}. Without the annotation:
 * a FORKY host named after the parameter position ({@code host0}, {@code host1}, ...).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Host {
    HostImage value() default HostImage.FORKY;

    /** Host name inside the host; empty: {@code host<parameter index>}. */
    String name() default "";
}
