// The codes of the API-server parity diagnostics, one per family of kube-apiserver validation errors.
//
// `data` on each problem (plain JSON, for quick-fixes); `suggestion` is present only when a valid
// repair exists (see api-suggest.ts):
// - invalid-name:            { value, suggestion? }
// - invalid-namespace:       { value, suggestion? }
// - invalid-label-key:       { key, suggestion? }
// - invalid-label-value:     { key?, value, suggestion? }  (key is absent for matchExpressions values)
// - invalid-operator:        { operator, suggestion? }     (suggestion: same word, right case)
// - invalid-selector-values: { operator, reason: 'required' | 'forbidden' }
// - invalid-protocol:        { protocol, suggestion? }
// - invalid-port:            { port, suggestion? }          (suggestion: a number for "80", or a port name)
// - invalid-end-port:        { port?, endPort, reason: 'less-than-port' | 'out-of-range' | 'named-port' | 'no-port' }
// - invalid-peer:            { reason: 'empty' | 'ipblock-with-selector' }
// - invalid-cidr:            { cidr, reason: 'required' | 'invalid' }
// - invalid-except:          { cidr, except, index, relation: 'invalid' | 'family' | 'equal' | 'wider' | 'outside' }
//                            (wider: except contains cidr; outside: disjoint from cidr; family: IPv4 vs IPv6)
// - invalid-policy-types:    { reason: 'too-many', count } | { reason: 'duplicate', value, index }
//                            | { reason: 'unsupported', value, index, suggestion? }
import { CODES } from '../codes';
export const API = {
  name: CODES.invalidName,
  namespace: CODES.invalidNamespace,
  labelKey: CODES.invalidLabelKey,
  labelValue: CODES.invalidLabelValue,
  operator: CODES.invalidOperator,
  selectorValues: CODES.invalidSelectorValues,
  protocol: CODES.invalidProtocol,
  port: CODES.invalidPort,
  endPort: CODES.invalidEndPort,
  peer: CODES.invalidPeer,
  cidr: CODES.invalidCidr,
  except: CODES.invalidExcept,
  policyTypes: CODES.invalidPolicyTypes,
} as const;
