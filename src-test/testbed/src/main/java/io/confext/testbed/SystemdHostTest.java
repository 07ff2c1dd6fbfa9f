package io.confext.testbed;

import io.confext.testsupport.tier.HostTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class on real systemd hosts: {@link SystemdHost} parameters are booted by {@link SystemdHostExtension}, and the
 * class is in the {@code host} tier ({@link HostTest}), so a run without root can leave it out by tag instead of only
 * skipping it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@HostTest
@ExtendWith(SystemdHostExtension.class)
public @interface SystemdHostTest {}
