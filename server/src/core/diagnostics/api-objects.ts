// Which objects get API-server checks, and ObjectMeta as ValidateObjectMeta checks it. Findings are
// computed once per analysis and shared by the rules, each of which reports its own code.
import type { DiagnosticCode } from '../codes';
import type { YAMLMap } from 'yaml';
import type { Analysis } from '../index';
import type { KubeObject } from '../parse';
import { CORE_API, NETWORK_POLICY_API, TEMPLATE_PATHS, WORKLOAD_KINDS } from '../types';
import { API } from './api-codes';
import { checkLabels } from './api-labels';
import { checkPolicySpec } from './api-policy';
import { suggestDns1123Label, suggestDns1123Subdomain } from './api-suggest';
import { dns1123Label, dns1123Subdomain, invalid, required } from './api-validation';
import { Sink, stringValue, type Finding } from './api-yaml';

const WORKLOADS = new Set<string>(WORKLOAD_KINDS);

interface NameRule {
  code: DiagnosticCode;
  validate: (name: string) => string[];
  suggest: (name: string) => string | undefined;
}

const SUBDOMAIN_NAME: NameRule = {
  code: API.name,
  validate: dns1123Subdomain,
  suggest: suggestDns1123Subdomain,
};
const NAMESPACE_NAME: NameRule = {
  code: API.namespace,
  validate: dns1123Label,
  suggest: suggestDns1123Label,
};

const cache = new WeakMap<Analysis, Finding[]>();

/** Every API-server finding of the workspace (memoised: each rule asks for its own code). */
export function apiFindings(analysis: Analysis): Finding[] {
  let findings = cache.get(analysis);
  if (!findings) {
    findings = [];
    for (const file of analysis.files) {
      const objects = file.objects;
      for (let i = 0; i < objects.length; i++) {
        if (objects[i].templated) continue;
        const found = objectApiFindings(objects[i]);
        for (let f = 0; f < found.length; f++) findings.push(found[f]);
      }
    }
    cache.set(analysis, findings);
  }
  return findings;
}

/**
 * The findings of each object, once: an object's nodes never change, and a large file's are checked while
 * its document is read (prepare.ts), not read again for it. Keyed by the object, so they go with its file.
 */
const byObject = new WeakMap<KubeObject, readonly Finding[]>();
const NO_FINDINGS: readonly Finding[] = [];

/** The API-server findings of one object (not of a template: its placeholders are not values). */
export function objectApiFindings(obj: KubeObject): readonly Finding[] {
  let findings = byObject.get(obj);
  if (!findings) {
    const found: Finding[] = [];
    checkObject(Sink.for(obj, found), obj);
    findings = found.length === 0 ? NO_FINDINGS : found;
    byObject.set(obj, findings);
  }
  return findings;
}

function checkObject(s: Sink, obj: KubeObject): void {
  const metadata = s.mapAt(obj.node, 'metadata');
  if (obj.kind === 'NetworkPolicy' && obj.apiVersion === NETWORK_POLICY_API) {
    checkMetadata(s, metadata, SUBDOMAIN_NAME, true);
    checkPolicySpec(s, s.mapAt(obj.node, 'spec'));
  } else if (obj.kind === 'Namespace' && obj.apiVersion === CORE_API) {
    checkMetadata(s, metadata, NAMESPACE_NAME, false);
  } else if (WORKLOADS.has(obj.kind)) {
    // Every workload kind's name is at least a DNS-1123 subdomain (some kinds add limits, not checked
    // here): a name with a control character or a space is rejected, and shows in every output.
    checkMetadata(s, metadata, SUBDOMAIN_NAME, true);
    checkTemplateLabels(s, obj);
  }
}

function checkMetadata(
  s: Sink,
  meta: YAMLMap | undefined,
  nameRule: NameRule | undefined,
  namespaced: boolean,
): void {
  if (nameRule) checkName(s, meta, nameRule);
  const namespaceNode = s.get(meta, 'namespace');
  const namespace = stringValue(namespaceNode);
  // An empty namespace is filled in by the client, so only a written one is checked.
  if (namespaced && namespace) {
    for (const message of dns1123Label(namespace)) {
      const data = { value: namespace, suggestion: suggestDns1123Label(namespace) };
      s.report(API.namespace, namespaceNode, invalid('metadata.namespace', namespace, message), data);
    }
  }
  checkLabels(s, s.mapAt(meta, 'labels'), 'metadata.labels');
}

function checkName(s: Sink, meta: YAMLMap | undefined, rule: NameRule): void {
  const node = s.get(meta, 'name');
  const name = stringValue(node);
  if (name === undefined) return; // absent (netpol.missing-name) or a wrong type (netpol.type)
  if (name === '' && s.get(meta, 'generateName') === undefined) {
    s.report(rule.code, node, required('metadata.name', 'name or generateName is required'), { value: name });
  }
  for (const message of name === '' ? [] : rule.validate(name)) {
    const data = { value: name, suggestion: rule.suggest(name) };
    s.report(rule.code, node, invalid('metadata.name', name, message), data);
  }
}

function checkTemplateLabels(s: Sink, obj: KubeObject): void {
  const keys = TEMPLATE_PATHS[obj.kind];
  if (!keys) return; // a Pod: its own metadata.labels are the pod's labels
  let node: YAMLMap | undefined = obj.node;
  for (const key of keys) node = s.mapAt(node, key);
  checkLabels(s, s.mapAt(s.mapAt(node, 'metadata'), 'labels'), `${keys.join('.')}.metadata.labels`);
}
