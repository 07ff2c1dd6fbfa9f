{{/*
CEL building blocks of the bundle admission policy (bundle-admission-policy.yaml).
Each rule is judged twice: alone over all grants naming the requester (so a refusal names the one
rule that failed), and then all together for one grant (rule one-grant), so two narrow grants never
add up to a wide one. The per-grant predicates are written once, as templates over a grant "g".
*/}}
{{- define "confext.policy.lifts" -}}(has(g.liftDeniedPaths) && (e in g.liftDeniedPaths || '*' in g.liftDeniedPaths)){{- end -}}
{{- define "confext.policy.deniedMatch" -}}(p == e || p + '/' == e || (e.endsWith('/') && p.startsWith(e)) || (e.endsWith('*') && p.startsWith(e.substring(0, size(e) - 1)))){{- end -}}
{{- define "confext.policy.selectorHas" -}}(size(w) > 0 && w.all(k, k in variables.selector && variables.selector[k] == w[k])){{- end -}}
{{- define "confext.policy.grant.scope" -}}(variables.scope in (has(g.scopes) ? g.scopes : ['Service'])){{- end -}}
{{- define "confext.policy.grant.units" -}}(!has(g.units) || variables.units.all(u, g.units.exists(x, x == u || (x.endsWith('*') && u.startsWith(x.substring(0, size(x) - 1)))))){{- end -}}
{{- define "confext.policy.grant.pathPrefix" -}}(!has(g.pathPrefixes) || variables.paths.all(p, g.pathPrefixes.exists(x, p.startsWith(x)))){{- end -}}
{{- define "confext.policy.grant.denied" -}}variables.paths.all(p, variables.denied.all(e, !{{ include "confext.policy.deniedMatch" . }} || {{ include "confext.policy.lifts" . }})){{- end -}}
{{- define "confext.policy.grant.opaque" -}}(!variables.opaque || (has(g.opaqueSources) && g.opaqueSources)){{- end -}}
{{- define "confext.policy.grant.controlPlane" -}}(variables.offControlPlane || (has(g.controlPlane) && g.controlPlane)){{- end -}}
{{- define "confext.policy.grant.nodeSelector" -}}(!has(g.nodeSelectors) || g.nodeSelectors.exists(w, {{ include "confext.policy.selectorHas" . }})){{- end -}}
{{- define "confext.policy.grant.namespaces" -}}(!has(g.namespaces) || variables.namespaces.all(n, n in g.namespaces)){{- end -}}
