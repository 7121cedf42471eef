// Example manifests shared by the documentation of the cluster-policy diagnostics.

/** An AdminNetworkPolicy with the given spec lines (indented two spaces). */
export function anp(spec: string, name = 'guardrails'): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: ${name}
spec:
${spec}`;
}

export function cnp(spec: string, name = 'guardrails'): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: ${name}
spec:
${spec}`;
}

export const SUBJECT_TEAM_A = `  subject:
    namespaces:
      matchLabels:
        team: a
`;

export const INGRESS_DENY_B = `  ingress:
    - name: deny-from-b
      action: Deny
      from:
        - namespaces:
            matchLabels:
              team: b
`;

/** The pod a/web in namespace a (team=a). */
export const POD_A = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: a
  labels:
    app: web
spec:
  containers:
    - name: web
      image: nginx
---
apiVersion: v1
kind: Namespace
metadata:
  name: a
  labels:
    team: a
`;
