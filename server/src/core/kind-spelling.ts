// A kind the analysis reads, spelt another way (`networkpolicy`, `NetworkPolicies`, `"NetworkPolicy "`):
// kubectl rejects it ("no matches for kind"), so it is never applied, but the author meant a policy or a
// workload, and passing over it without a word would hide that the file does not do what it says.
import { CLUSTER_POLICY_KINDS } from './cluster/types';
import { WORKLOAD_KINDS } from './types';

const READ_KINDS = [
  'NetworkPolicy',
  'Namespace',
  'Service',
  ...WORKLOAD_KINDS,
  ...Object.keys(CLUSTER_POLICY_KINDS),
];

/** `networkpolicies ` → `networkpolicy`: case, surrounding spaces and a plural do not change the meaning meant. */
function normalized(kind: string): string {
  return kind
    .trim()
    .toLowerCase()
    .replace(/(?:ies)$/, 'y')
    .replace(/(?:sses|ses|s)$/, (plural) => (plural === 'sses' ? 'ss' : plural === 'ses' ? 's' : ''));
}

const BY_SPELLING = new Map(READ_KINDS.map((kind) => [normalized(kind), kind]));

/** The kind meant, when `kind` is a read kind spelt otherwise; undefined for read kinds and for others. */
export function meantKind(kind: string): string | undefined {
  if (READ_KINDS.includes(kind)) return undefined;
  return BY_SPELLING.get(normalized(kind));
}
