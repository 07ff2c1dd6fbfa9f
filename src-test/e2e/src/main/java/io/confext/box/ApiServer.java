package io.confext.box;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** A running Kubernetes API server the box talks to: the real kube-apiserver or fabric8's mock server. */
public interface ApiServer extends AutoCloseable {

    /** An admin client of this server. */
    KubernetesClient client();

    /** A kubeconfig (YAML) that reaches this server with admin rights: for the child JVMs and for kubectl. */
    String kubeconfigYaml();

    /** What it is, for the user: "real kube-apiserver 1.36.3" or "fabric8 mock server (CRUD mode)". */
    String description();

    /** Whether kubectl can talk to it (the mock server speaks too little of the API for kubectl). */
    boolean realApiServer();

    /** Its processes and scratch directories, for the box's watchdog (none for an in-process server). */
    default List<Leftover> leftovers() {
        return List.of();
    }

    @Override
    void close();
}
