// Connectivity expectations (`kind: ConnectivityExpectations`): a violated one is an error at its list
// item, an unreadable one too. Both depend on every policy of the workspace, so they are re-evaluated on
// every change of any file.
import { CODES } from '../codes';
import { evaluateExpectations } from '../expectations/evaluate';
import { expectationsDocuments } from '../expectations/document';
import { SHOP_WEB_AND_DB_PODS } from './example-workloads';
import type { DiagnosticRule } from './rule';

const SHOP = SHOP_WEB_AND_DB_PODS;

const DB_ONLY_FROM_API = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-from-api
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
              app: api
      ports:
        - port: 5432
---
`;

const CONTRACT = (from: string) => `apiVersion: netpol-lens/v1
kind: ConnectivityExpectations
metadata:
  name: shop-contract
expectations:
  - from: ${from}
    to: shop/db
    port: 5432/TCP
    expect: deny
`;

export const EXPECTATION_RULES: DiagnosticRule[] = [
  {
    code: CODES.expectationViolated,
    defaultSeverity: 'error',
    title: 'A connectivity expectation does not hold',
    description:
      'An item of a `kind: ConnectivityExpectations` document (apiVersion `netpol-lens/v1`, any file name) says a connection must be allowed or denied, and the policies of the workspace say otherwise. `from`/`to` name a peer as `netpol-lens can` takes it (`namespace/name`, `namespace/name[Kind]`, an IPv4 address) or `namespace/*` for every workload of a namespace (every pair must hold). With `port: NUMBER/PROTOCOL` (protocol TCP by default) the expectation is about that port; without it, `allow` means some connection is allowed and `deny` that none is. The message says what the analysis found and which rules decide it. Expectations are checked again whenever any file changes.',
    bad: SHOP + CONTRACT('shop/web'),
    good: SHOP + DB_ONLY_FROM_API + CONTRACT('shop/web'),
    check({ analysis, report }) {
      for (const result of evaluateExpectations(analysis)) {
        if (result.status !== 'violated') continue;
        const { uri } = result.document;
        report({ uri, range: result.range, message: result.message });
      }
    },
  },
  {
    code: CODES.expectationInvalid,
    defaultSeverity: 'error',
    title: 'A connectivity expectation cannot be checked',
    description:
      'The item names a workload, namespace or address that is not in the workspace (the message suggests similar names), a peer or port in the wrong syntax, a field of the wrong type, or lacks `from`, `to` or `expect`; or the document itself is malformed. It is not checked until it is fixed, so a typo never passes for a kept promise.',
    bad: SHOP + DB_ONLY_FROM_API + CONTRACT('shop/wbe'),
    good: SHOP + DB_ONLY_FROM_API + CONTRACT('shop/web'),
    check({ analysis, report }) {
      for (const file of analysis.files) {
        for (const document of expectationsDocuments(file)) {
          for (const { message, range } of document.malformed) report({ uri: file.uri, range, message });
        }
      }
      for (const result of evaluateExpectations(analysis)) {
        if (result.status !== 'invalid') continue;
        const { uri } = result.document;
        // Every malformed field of the item at once; otherwise why its peers do not resolve.
        const malformed = result.expectation.malformed;
        if (malformed.length === 0) report({ uri, range: result.range, message: result.message });
        for (const { message, range } of malformed) report({ uri, range, message });
      }
    },
  },
];
