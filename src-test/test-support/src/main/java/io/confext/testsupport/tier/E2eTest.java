package io.confext.testsupport.tier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/** The test class runs the product end to end (operator and agents against real hosts and an API server): tag {@value Tiers#E2E}, left out by {@code -Plaptop}. */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(Tiers.E2E)
public @interface E2eTest {}
