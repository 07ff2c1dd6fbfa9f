package io.confext.box;

import io.confext.testbed.SystemdHost;

/** One node of the box: a real systemd host and the agent bound to it (its Kubernetes Node has the same name). */
public record BoxHost(String name, SystemdHost host, ChildJvm agent) {}
