package io.confext.box;

import io.confext.api.v1alpha1.ConfextBundle;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The sample bundle for the demo service (resource {@code demo-bundle.yaml}, shown to the user as is). */
public final class DemoBundles {

    public static final String RESOURCE = "/io/confext/box/demo-bundle.yaml";

    private DemoBundles() {}

    public static String yaml() {
        try (InputStream in = DemoBundles.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ConfextBundle sample() {
        return Serialization.unmarshal(yaml(), ConfextBundle.class);
    }
}
