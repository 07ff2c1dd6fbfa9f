package io.confext.testbed;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * JUnit 5: resolves {@link SystemdHost} parameters with freshly booted hosts, one per parameter, and tears
 * each down when the scope it was requested in ends (a test method's parameters after that test, also when it
 * fails; a {@code @BeforeAll} method's after the class). On a machine that cannot run hosts (not root, no
 * nspawn) the test is skipped with the reason.
 *
 * <pre>
 * &#64;ExtendWith(SystemdHostExtension.class)
 * class MyTest {
 *     &#64;Test void works(&#64;Host(HostImage.TRIXIE) SystemdHost host) { host.execOk("true"); }
 * }
 * </pre>
 */
public final class SystemdHostExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SystemdHostExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == SystemdHost.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Prerequisites.missingCapability().ifPresent(reason -> {
            throw new TestAbortedException("no test host on this machine: " + reason);
        });
        Host spec = parameterContext.findAnnotation(Host.class).orElse(null);
        HostImage image = spec == null ? HostImage.FORKY : spec.value();
        String name = spec == null || spec.name().isEmpty() ? "host" + parameterContext.getIndex() : spec.name();
        SystemdHost host;
        try {
            host = SystemdHost.boot(image, name);
        } catch (TestbedException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        // the store closes AutoCloseable values when the scope ends, in reverse order of registration
        extensionContext.getStore(NAMESPACE).put(host.machineName(), new ClosingHost(host));
        return host;
    }

    /** JUnit (>= 5.13) closes AutoCloseable store values when their scope ends. */
    private record ClosingHost(SystemdHost host) implements AutoCloseable {
        @Override
        public void close() {
            host.close();
        }
    }
}
