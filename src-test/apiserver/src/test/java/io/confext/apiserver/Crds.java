package io.confext.apiserver;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs the generated CRDs with server-side apply and waits until the server serves them. */
final class Crds {

    static final String FIELD_MANAGER = "confext-apiserver-tests";

    private Crds() {}

    static List<CustomResourceDefinition> installAll(KubernetesClient client, List<Path> files) {
        List<CustomResourceDefinition> installed = new ArrayList<>();
        for (Path file : files) {
            CustomResourceDefinition crd = read(file);
            installed.add(client.resource(crd)
                    .fieldManager(FIELD_MANAGER)
                    .forceConflicts()
                    .serverSideApply());
        }
        for (CustomResourceDefinition crd : installed) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .waitUntilCondition(Crds::established, 60, TimeUnit.SECONDS);
        }
        return installed;
    }

    static boolean established(CustomResourceDefinition crd) {
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static CustomResourceDefinition read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
