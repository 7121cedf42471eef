// Semantic lints: mistakes the API server accepts but that make a policy do something else than it
// says. Each family lives in its own lint-*.ts module and is computed from the analysis model.
import { DNS_RULES } from './lint-dns';
import { IPBLOCK_RULES } from './lint-ipblocks';
import { NAMESPACE_RULES } from './lint-namespaces';
import { OWNER_RULES } from './lint-owners';
import { POLICY_TYPE_RULES } from './lint-policy-types';
import { PORT_RULES } from './lint-ports';
import { REDUNDANCY_RULES } from './lint-redundancy';
import { SELECTOR_RULES } from './lint-selectors';
import type { DiagnosticRule } from './rule';

export const LINT_RULES: DiagnosticRule[] = [
  ...SELECTOR_RULES,
  ...DNS_RULES,
  ...POLICY_TYPE_RULES,
  ...PORT_RULES,
  ...IPBLOCK_RULES,
  ...REDUNDANCY_RULES,
  ...NAMESPACE_RULES,
  ...OWNER_RULES,
];
