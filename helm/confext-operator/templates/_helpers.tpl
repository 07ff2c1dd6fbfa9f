{{/* Chart name, overridable. */}}
{{- define "confext.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Resource name prefix: the release name, plus the chart name unless the release name has it. */}}
{{- define "confext.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "confext.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "confext.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "confext.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: confext-operator
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component ("operator" or "agent"): dict "ctx" . "component" "..." */}}
{{- define "confext.selectorLabels" -}}
app.kubernetes.io/name: {{ include "confext.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "confext.operator.serviceAccountName" -}}
{{- default (include "confext.fullname" .) .Values.operator.serviceAccount.name -}}
{{- end -}}

{{- define "confext.agent.serviceAccountName" -}}
{{- default (printf "%s-agent" (include "confext.fullname" .)) .Values.agent.serviceAccount.name -}}
{{- end -}}

{{/* The agent DaemonSet's name: the operator may modify only this DaemonSet (RBAC resourceNames). */}}
{{- define "confext.agent.daemonSetName" -}}
{{- printf "%s-agent" (include "confext.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "confext.operator.leaseName" -}}
{{- default (printf "%s-leader" (include "confext.fullname" .)) .Values.operator.leaderElection.leaseName -}}
{{- end -}}

{{- define "confext.operator.image" -}}
{{- printf "%s:%s" .Values.operator.image.repository (default .Chart.AppVersion .Values.operator.image.tag) -}}
{{- end -}}

{{- define "confext.agent.image" -}}
{{- printf "%s:%s" .Values.agent.image.repository (default .Chart.AppVersion .Values.agent.image.tag) -}}
{{- end -}}

{{/* The agent's ServiceAccount as an authenticated user name (for the admission policy). */}}
{{- define "confext.agent.userName" -}}
{{- printf "system:serviceaccount:%s:%s" .Release.Namespace (include "confext.agent.serviceAccountName" .) -}}
{{- end -}}

{{/* The operator's ServiceAccount as an authenticated user name (for the admission policy). */}}
{{- define "confext.operator.userName" -}}
{{- printf "system:serviceaccount:%s:%s" .Release.Namespace (include "confext.operator.serviceAccountName" .) -}}
{{- end -}}

{{/*
The agent pod template: rendered into the DaemonSet when agent.managedByOperator=false, and
handed to the operator (CONFEXT_AGENT_POD_TEMPLATE) when it owns the DaemonSet, so both paths
run the agent with exactly these security settings.
*/}}
{{- define "confext.agent.podTemplate" -}}
metadata:
  labels:
    {{- include "confext.selectorLabels" (dict "ctx" . "component" "agent") | nindent 4 }}
    {{- with .Values.agent.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.agent.podAnnotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  serviceAccountName: {{ include "confext.agent.serviceAccountName" . }}
  # The agent reaches the host through PID 1's namespaces (nsenter, /proc/1/root) and systemd's
  # D-Bus API: it needs the host PID namespace and a privileged container. Everything it reads or
  # writes on the host, it reaches as /proc/1/root/...: no hostPath volume is needed.
  hostPID: true
  # The host's network, like other node agents (kube-proxy, CNI daemons): the agent may be the one
  # delivering the container runtime's or the CNI's configuration, so it must not depend on the pod
  # network. Its health port is then a port of the node (agent.probes.port).
  hostNetwork: true
  dnsPolicy: ClusterFirstWithHostNet
  priorityClassName: {{ .Values.agent.priorityClassName }}
  terminationGracePeriodSeconds: 30
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.agent.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.agent.affinity }}
  affinity:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.agent.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: agent
      image: {{ include "confext.agent.image" . }}
      imagePullPolicy: {{ .Values.agent.image.pullPolicy }}
      securityContext:
        privileged: true
        runAsUser: 0
        readOnlyRootFilesystem: true
      env:
        # The one ConfextNode this agent watches is named after its node (confext.agent.node-name).
        - name: NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        - name: QUARKUS_LOG_LEVEL
          value: {{ .Values.agent.logLevel | quote }}
        # the health endpoints listen on the node's network: the port the probes use
        - name: QUARKUS_HTTP_PORT
          value: {{ .Values.agent.probes.port | quote }}
        # The cluster-wide signature requirement (policy.requireSignedImages): the agent refuses
        # unsigned images even of bundles admitted before the requirement was set.
        - name: CONFEXT_AGENT_REQUIRE_SIGNED_IMAGES
          value: {{ .Values.policy.requireSignedImages | quote }}
        # The node's disk (agent.disk): the free-space margin and the cap on stored versions. int64:
        # Helm reads numbers as floats, which would render 4294967296 as 4.294967296e+09.
        - name: CONFEXT_AGENT_DISK_MIN_FREE_BYTES
          value: {{ int64 .Values.agent.disk.minFreeBytes | quote }}
        - name: CONFEXT_AGENT_DISK_MAX_VERSIONS_BYTES
          value: {{ int64 .Values.agent.disk.maxVersionsBytes | quote }}
        {{- with .Values.agent.imagePolicy }}
        - name: CONFEXT_IMAGES_POLICY
          value: {{ . | quote }}
        {{- end }}
        {{- with .Values.agent.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- if .Values.agent.probes.enabled }}
      ports:
        - name: health
          containerPort: {{ .Values.agent.probes.port }}
          protocol: TCP
      livenessProbe:
        httpGet:
          path: /q/health/live
          port: health
        initialDelaySeconds: 10
        periodSeconds: 30
        failureThreshold: 3
      readinessProbe:
        httpGet:
          path: /q/health/ready
          port: health
        periodSeconds: 10
      {{- end }}
      resources:
        {{- toYaml .Values.agent.resources | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  # No hostPath: the agent's state (/var/lib/confext-operator), the confext search path, the unit
  # drop-ins and the system bus are all reached through /proc/1/root, the host's own view, so the
  # paths systemd reads are exactly the paths the agent wrote. /tmp is the JVM's scratch space on a
  # read-only root file system.
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
{{- end -}}

{{/* Namespaces whose ConfigMaps the operator may read: its own, then operator.sourceNamespaces (JSON list). */}}
{{- define "confext.sourceNamespaces" -}}
{{- prepend .Values.operator.sourceNamespaces .Release.Namespace | uniq | toJson -}}
{{- end -}}

{{/* The namespace of the per-revision copies of Secret sources: it holds nothing else (the agents may get Secrets there). */}}
{{- define "confext.secretCopyNamespace" -}}
{{- default (printf "%s-secret-copies" (default "default" .Release.Namespace)) .Values.operator.secretCopies.namespace -}}
{{- end -}}
