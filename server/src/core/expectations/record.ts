// "Record Connectivity as Expectations": today's connectivity of chosen namespaces written down as an
// expectations document, so that every later change that opens or closes a pair shows as a violation.
import type { Analysis } from '../index';
import { compare } from '../model';
import type { PodPeer, Reachability } from '../reachability';
import { EXPECTATIONS_API_VERSION, EXPECTATIONS_KIND } from './document';

export interface RecordedExpectations {
  /** The document, YAML text. */
  text: string;
  allowed: number;
  denied: number;
}

/** `ns/name` when that names the peer alone (as `can` resolves it), else `ns/name[Kind]`. */
function peerName(reach: Reachability, peer: PodPeer): string {
  const short = `${peer.namespace}/${peer.workload.name}`;
  return reach.findPeer(short) === peer ? short : peer.id;
}

/** A YAML scalar for a name: plain when it is made of name characters, else quoted (brackets, spaces, …). */
function scalar(name: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * Every ordered pair of distinct workloads with at least one end in `namespaces`, allowed (with the
 * connections as a comment) or denied, sorted by source and destination. Inferred representative pods are
 * left out: they stand for pods the workspace does not define and vanish when real ones are added.
 */
export function recordExpectations(analysis: Analysis, namespaces: readonly string[]): RecordedExpectations {
  const reach = analysis.reachability;
  const chosen = new Set(namespaces);
  const pods = reach.peers
    .filter((p): p is PodPeer => p.kind === 'pod' && !p.workload.inferred)
    .sort((a, b) => compare(a.id, b.id));
  const lines: string[] = [];
  let allowed = 0;
  let denied = 0;
  for (const source of pods) {
    for (const destination of pods) {
      if (source === destination) continue;
      if (!chosen.has(source.namespace) && !chosen.has(destination.namespace)) continue;
      const connections = reach.connections(source, destination);
      const allows = !connections.isEmpty();
      if (allows) allowed++;
      else denied++;
      lines.push(
        `  - from: ${scalar(peerName(reach, source))}`,
        `    to: ${scalar(peerName(reach, destination))}`,
        `    expect: ${allows ? 'allow' : 'deny'}${allows ? ` # ${connections.toString()}` : ''}`,
      );
    }
  }
  const sorted = [...chosen].sort(compare);
  // Names come from the manifests: a line break in one must not end the comment.
  // eslint-disable-next-line no-control-regex
  const listed = sorted.join(', ').replace(/[\u0000-\u001f\u007f]/g, ' ');
  const header = [
    `# Connectivity of ${listed} as NetPol Lens analysed it: ${allowed} allowed and ${denied} denied`,
    '# workload pairs. Save it in the workspace: any later change that opens or closes one of these pairs',
    '# is reported as netpol.expectation-violated (in the editor and by `netpol-lens check`).',
    `apiVersion: ${EXPECTATIONS_API_VERSION}`,
    `kind: ${EXPECTATIONS_KIND}`,
    'metadata:',
    `  name: ${scalar(['recorded', ...sorted].join('-').slice(0, 253))}`,
    lines.length > 0 ? 'expectations:' : 'expectations: []',
  ];
  return { text: [...header, ...lines].join('\n') + '\n', allowed, denied };
}
