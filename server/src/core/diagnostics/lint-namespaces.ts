// Lints about namespaces: policies without or with an unknown namespace, and namespaces without a
// default-deny policy.
import { CODES } from '../codes';
import type { Analysis } from '../index';
import { isEmptySelector } from '../selectors';
import type { Range, SourceRef } from '../types';
import { definedWorkloads, definesNamespaces, listNames } from './lint-util';
import { fileOf, mapOf, objectAt, policyNode, tighten, valueOf, valueRange } from './lint-yaml';
import type { CheckContext, DiagnosticRule } from './rule';

/** Namespaces every cluster has. */
const BUILT_IN = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

function checkUndefined({ analysis, report }: CheckContext): void {
  const { model } = analysis;
  if (!definesNamespaces(model)) return;
  const defined = model.namespaces.filter((n) => !n.implicit).map((n) => n.name);
  for (const policy of model.policies) {
    if (!policy.namespaceExplicit || BUILT_IN.has(policy.namespace)) continue;
    if (!model.namespace(policy.namespace)?.implicit) continue;
    const located = policyNode(analysis, policy);
    report({
      uri: policy.uri,
      range:
        (located && valueRange(located.file, located.metadata, 'namespace')) ??
        tighten(analysis, policy.uri, policy.range),
      message: `Namespace ${policy.namespace} is not defined in the workspace, which defines ${listNames(defined)}: a typo, or a namespace created elsewhere?`,
      data: { namespace: policy.namespace },
    });
  }
}

function checkMissing({ analysis, report }: CheckContext): void {
  for (const policy of analysis.model.policies) {
    if (policy.namespaceExplicit) continue;
    report({
      uri: policy.uri,
      range: policy.nameRange ?? tighten(analysis, policy.uri, policy.range),
      message: `NetworkPolicy ${policy.name} has no metadata.namespace: it applies to whatever namespace kubectl targets (analysed as ${policy.namespace}).`,
      data: { namespace: analysis.options.defaultNamespace },
    });
  }
}

/** The metadata.name of the object written at `source`. */
function nameRange(analysis: Analysis, source: SourceRef): Range {
  const file = fileOf(analysis, source.uri);
  const object = file && objectAt(file, source.range.start.offset);
  const range = file && object && valueRange(file, mapOf(valueOf(object.node, 'metadata')), 'name');
  return range ?? tighten(analysis, source.uri, source.range);
}

function checkDefaultDeny({ analysis, report }: CheckContext): void {
  const { model } = analysis;
  for (const namespace of model.namespaces) {
    const workloads = definedWorkloads(model, namespace.name);
    if (workloads.length === 0) continue;
    const isolated = model.policies.some(
      (p) => p.namespace === namespace.name && p.affects.ingress && isEmptySelector(p.podSelector),
    );
    if (isolated) continue;
    const source = namespace.source ?? workloads[0].source!;
    report({
      uri: source.uri,
      range: nameRange(analysis, source),
      message: `Namespace ${namespace.name} has no default-deny policy: its pods that no policy selects for ingress accept traffic from everywhere.`,
      data: { namespace: namespace.name },
    });
  }
}

const POLICY = (metadata: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
${metadata}spec:
  podSelector: {}
`;
const SHOP = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
`;
const WEB = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
---
`;

export const NAMESPACE_RULES: DiagnosticRule[] = [
  {
    code: CODES.undefinedNamespace,
    defaultSeverity: 'information',
    title: "The policy's namespace is not defined in the workspace",
    description:
      'The workspace defines Namespace objects, but not the one this policy is in (the built-in `default`, `kube-system`, `kube-public` and `kube-node-lease` excepted). Often a typo; if the namespace is created elsewhere, silence this code.',
    bad: SHOP + POLICY('  namespace: shp\n'),
    good: SHOP + POLICY('  namespace: shop\n'),
    check: checkUndefined,
  },
  {
    code: CODES.missingNamespace,
    defaultSeverity: 'warning',
    title: 'The policy has no metadata.namespace',
    description:
      "A NetworkPolicy without `metadata.namespace` lands in whatever namespace `kubectl` targets (the context's namespace or `-n`), and isolates the pods there. netpol-lens analyses it in the default namespace (`netpolLens.defaultNamespace`, CLI `-n`).",
    bad: POLICY(''),
    good: POLICY('  namespace: shop\n'),
    check: checkMissing,
  },
  {
    code: CODES.noDefaultDeny,
    defaultSeverity: 'off',
    title: 'A namespace without a default-deny policy',
    description:
      'A namespace with workloads but no policy that selects all its pods (`podSelector: {}`) for ingress: pods that no policy selects accept traffic from everywhere. Off by default; turn it on to enforce default-deny everywhere.',
    bad: SHOP + WEB,
    good: SHOP + WEB + POLICY('  namespace: shop\n'),
    check: checkDefaultDeny,
  },
];
