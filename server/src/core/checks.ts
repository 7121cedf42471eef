// Checks the engine itself needs: addresses it cannot use are reported, not silently dropped.
import { CODES } from './codes';
import { parseCidr } from './addresses';
import type { Model } from './model';
import type { Problem } from './types';

export function checkAddresses(model: Model): Problem[] {
  const problems: Problem[] = [];
  for (const policy of model.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? []) {
        const block = peer.ipBlock;
        if (!block) continue;
        // One warning per block: its excepts share the cidr's family or are invalid (netpol.invalid-except).
        const values = [{ text: block.cidr, range: block.cidrRange, what: 'cidr' }];
        for (const { text, range, what } of values) {
          const parsed = parseCidr(text);
          // Invalid CIDRs are API-server errors, reported by the diagnostics (netpol.invalid-cidr).
          if (parsed.family === 'ipv6') {
            problems.push({
              code: CODES.ipv6,
              severity: 'warning',
              message: `IPv6 ipBlock ${what} ${parsed.canonical} is not analysed: netpol-lens computes IPv4 reachability only.`,
              uri: policy.uri,
              range,
            });
          }
        }
      }
    }
  }
  return problems;
}
