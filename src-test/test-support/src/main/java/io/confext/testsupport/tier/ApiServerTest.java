package io.confext.testsupport.tier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/** The test class needs a real kube-apiserver and etcd: tag {@value Tiers#API_SERVER}, left out by {@code -Plaptop}. */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag(Tiers.API_SERVER)
public @interface ApiServerTest {}
