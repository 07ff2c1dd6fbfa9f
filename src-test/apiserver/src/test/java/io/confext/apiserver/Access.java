package io.confext.apiserver;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** Asks the real RBAC authorizer whether a service account may do one thing (SubjectAccessReview). */
record Access(KubernetesClient admin, String namespace, String serviceAccount) {

    boolean allowed(
            String verb, String group, String resource, String subresource, String objectNamespace, String name) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser("system:serviceaccount:" + namespace + ":" + serviceAccount)
                .withGroups(List.of(
                        "system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated"))
                .withNewResourceAttributes()
                .withVerb(verb)
                .withGroup(group)
                .withResource(resource)
                .withSubresource(subresource)
                .withNamespace(objectNamespace)
                .withName(name)
                .endResourceAttributes()
                .endSpec()
                .build();
        return admin.authorization()
                .v1()
                .subjectAccessReview()
                .create(review)
                .getStatus()
                .getAllowed();
    }
}
