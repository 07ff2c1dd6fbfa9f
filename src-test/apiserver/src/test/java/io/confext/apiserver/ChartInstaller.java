package io.confext.apiserver;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;

/** {@code helm install} of the repository's chart into the test API server, with real Helm (helm-java). */
final class ChartInstaller {

    private ChartInstaller() {}

    /** Installs release {@code name} into {@code namespace} (created), with a values file (-f). */
    static Release installWithValues(ApiServer server, String name, String namespace, java.nio.file.Path valuesFile) {
        return new Helm(RepoFiles.fromBuild().chart())
                .install()
                .withName(name)
                .withNamespace(namespace)
                .createNamespace()
                .withKubeConfigContents(server.kubeConfigYaml())
                .withValuesFile(valuesFile)
                .call();
    }

    /** Installs release {@code name} into {@code namespace} (created), with --set values "k=v". */
    static Release install(ApiServer server, String name, String namespace, String... setValues) {
        var install = new Helm(RepoFiles.fromBuild().chart())
                .install()
                .withName(name)
                .withNamespace(namespace)
                .createNamespace()
                .withKubeConfigContents(server.kubeConfigYaml());
        for (String value : setValues) {
            int eq = value.indexOf('=');
            install = install.set(value.substring(0, eq), value.substring(eq + 1));
        }
        return install.call();
    }
}
