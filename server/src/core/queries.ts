// How people name one connection to check, as `netpol-lens can`, the editor's "Can A Reach B?" and
// expectations documents take it: peers by id or `namespace/name`, an IPv4 address, and a port.
import type { PortQuery, Reachability } from './reachability';
import type { Protocol } from './types';

/** How many workloads of a namespace a "no such peer" message lists. */
const MAX_LISTED = 5;

export const PORT_QUERY_FORMAT = 'PORT[/PROTOCOL], e.g. 80/TCP, 53/UDP (port 1-65535)';

/** `80`, `80/TCP`, `53/udp` → the port and protocol (TCP by default); undefined when malformed. */
export function parsePortQuery(text: string): PortQuery | undefined {
  const match = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(text.trim());
  const port = match ? Number(match[1]) : NaN;
  if (!match || port < 1 || port > 65535) return undefined;
  return { port, protocol: (match[2] ?? 'TCP').toUpperCase() as Protocol };
}

/** `80/TCP`: how a port query is written back. */
export function formatPortQuery(port: PortQuery): string {
  return `${port.port}/${port.protocol}`;
}

/**
 * Why `spec` names no peer of the analysis ({@link Reachability.findPeer} returned nothing): ambiguous
 * (several kinds share the name), or unknown with the peers it resembles (or `noHint` when none does).
 */
export function peerLookupError(reach: Reachability, spec: string, noHint = ''): string {
  const sameName = reach.peers.filter(
    (p) => p.kind === 'pod' && `${p.namespace}/${p.workload.name}` === spec,
  );
  if (sameName.length > 1) {
    return `${spec} is ambiguous: ${sameName.map((p) => p.id).join(', ')}; name the kind, e.g. ${sameName[0].id}`;
  }
  const hints = reach.suggestPeers(spec);
  if (hints.length > 0) return `${spec}: no such peer; did you mean ${hints.join(', ')}?`;
  const namespace = spec.includes('/') ? spec.slice(0, spec.indexOf('/')) : undefined;
  const inNamespace = namespace === undefined ? [] : reach.model.workloadsIn(namespace);
  if (inNamespace.length > 0) {
    const shown = inNamespace.slice(0, MAX_LISTED).map((w) => `${w.namespace}/${w.name}`);
    const more = inNamespace.length > MAX_LISTED ? ` and ${inNamespace.length - MAX_LISTED} more` : '';
    return `${spec}: no such peer; namespace ${namespace} has ${shown.join(', ')}${more}`;
  }
  return `${spec}: no such peer${noHint}`;
}
