package io.confext.testsupport.tier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/** The test class needs a real systemd host (root, systemd-nspawn, loop devices or mounts): tag {@value Tiers#HOST}, left out by {@code -Plaptop}. */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(Tiers.HOST)
public @interface HostTest {}
