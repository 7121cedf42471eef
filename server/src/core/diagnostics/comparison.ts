// The comparison with a base (`netpolLens.compareWith`, Compare Reachability with…): its problems come
// from the language service's comparison (core/comparison.ts), not from a check over one analysis, so
// this rule exists for its code, its default severity and its documentation. Its examples are
// compared with `exampleBase`, the workspace as the base (e.g. HEAD) holds it.
import { CODES } from '../codes';
import { SHOP_WEB_AND_DB_PODS } from './example-workloads';
import type { DiagnosticRule } from './rule';

const PODS = SHOP_WEB_AND_DB_PODS;

const DB_INGRESS = (from: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: db
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: ${from}
      ports:
        - port: 5432
`;

export const COMPARISON_RULES: DiagnosticRule[] = [
  {
    code: CODES.reachabilityChanged,
    defaultSeverity: 'information',
    title: 'An edited policy changes reachability compared with the base',
    description:
      'While a base is set (the `netpolLens.compareWith` setting, `HEAD` by default in a git workspace, or a base picked with **Compare Reachability with…**), each policy whose edit changes who can reach whom gets this diagnostic and a code lens at its name, e.g. "compared with HEAD: now allows shop/web → shop/db on TCP 5432", additions first, with the count of the rest when there are many. A policy accounts for a change when it selects the source (egress) or the destination (ingress) of the pair, in the base or now. Nothing is shown when nothing changed; comment and layout edits change nothing. Not reported by `netpol-lens check`, which has no base: use `netpol-lens diff`. In untrusted workspaces git is not run, so only a folder base is compared. The examples below are compared with a base whose policy lets `app: api` (not `app: web`) in.',
    bad: PODS + DB_INGRESS('web'),
    good: PODS + DB_INGRESS('api'),
    exampleBase: PODS + DB_INGRESS('api'),
  },
];
