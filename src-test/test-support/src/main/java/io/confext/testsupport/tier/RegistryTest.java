package io.confext.testsupport.tier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * The test class runs a real OCI registry on loopback ({@code RegistryServer}: Debian's docker-registry and the oras
 * client, installed by scripts/install-registry-tools): tag {@value Tiers#REGISTRY}, left out by {@code -Plaptop}.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(Tiers.REGISTRY)
public @interface RegistryTest {}
