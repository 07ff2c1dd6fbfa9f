package io.confext.apiserver;

import io.confext.testsupport.tier.ApiServerTest;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class against the real kube-apiserver of {@link RealApiServerExtension} ({@link ApiServer} parameters), in the
 * {@code apiserver} tier ({@link ApiServerTest}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ApiServerTest
@ExtendWith(RealApiServerExtension.class)
@interface RealApiServerTest {}
