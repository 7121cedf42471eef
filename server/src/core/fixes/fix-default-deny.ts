// netpol.no-default-deny: a policy that selects every pod of the namespace for ingress and allows none.
import { NETWORK_POLICY_API } from '../types';
import { CODES } from '../codes';
import type { Analysis } from '../index';
import type { Fix, QuickFixProvider } from './fix';
import { blockLines, editFile, textEdit, type EditFile, type YamlValue } from './fix-yaml';

function unique(base: string, taken: (name: string) => boolean): string {
  let name = base;
  for (let n = 2; taken(name); n++) name = `${base}-${n}`;
  return name;
}

function policyText(
  name: string,
  namespace: string,
  style: Pick<EditFile, 'indent' | 'seqIndent'>,
  eol: string,
) {
  const policy: YamlValue = {
    apiVersion: NETWORK_POLICY_API,
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  };
  return blockLines(policy, 0, { ...style, eol } as EditFile).join(eol) + eol;
}

function directory(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}

function fixesFor(analysis: Analysis, uri: string, namespace: string): Fix[] {
  const f = editFile(analysis, uri);
  if (!f) return [];
  const name = unique('default-deny-ingress', (n) =>
    analysis.model.policies.some((p) => p.namespace === namespace && p.name === n),
  );
  const end = f.text.length;
  const separator = end === 0 || f.text.endsWith('\n') ? '' : f.eol;
  const append = textEdit(f, end, end, `${separator}---${f.eol}${policyText(name, namespace, f, f.eol)}`);
  const uris = new Set(analysis.files.map((file) => file.uri));
  const newUri =
    unique(`${directory(uri)}/default-deny-${namespace}`, (u) => uris.has(`${u}.yaml`)) + '.yaml';
  return [
    {
      title: `Add a default-deny ingress policy for namespace ${namespace} to this file`,
      edits: [append],
      isPreferred: true,
    },
    {
      title: `Create ${newUri.split('/').pop()} with a default-deny ingress policy for namespace ${namespace}`,
      edits: [],
      createFile: { uri: newUri, text: policyText(name, namespace, { indent: 2, seqIndent: 2 }, '\n') },
    },
  ];
}

export const DEFAULT_DENY_FIXES: QuickFixProvider = {
  codes: [CODES.noDefaultDeny],
  fixes(analysis, problem): Fix[] {
    const namespace = problem.data?.namespace;
    return typeof namespace === 'string' ? fixesFor(analysis, problem.uri, namespace) : [];
  },
};
