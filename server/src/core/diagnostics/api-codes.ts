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
export const API = {
  name: 'netpol.invalid-name',
  namespace: 'netpol.invalid-namespace',
  labelKey: 'netpol.invalid-label-key',
  labelValue: 'netpol.invalid-label-value',
  operator: 'netpol.invalid-operator',
  selectorValues: 'netpol.invalid-selector-values',
  protocol: 'netpol.invalid-protocol',
  port: 'netpol.invalid-port',
  endPort: 'netpol.invalid-end-port',
  peer: 'netpol.invalid-peer',
  cidr: 'netpol.invalid-cidr',
  except: 'netpol.invalid-except',
  policyTypes: 'netpol.invalid-policy-types',
} as const;
