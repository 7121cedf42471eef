// Whether the API server accepts a part of a policy as written. A rule about meaning (a lint, explain)
// asks these first, so it never restates a value that an API-server rule already rejected as if it
// were valid ("no container exposes TCPX 8080" after "Unsupported value: TCPX").
import { parseCidr } from '../addresses';
import { isProtocol, type IpBlockModel, type LabelSelector, type PortModel } from '../types';
import { labelValue, portName, portNumber, qualifiedName } from './api-validation';

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** A `ports` entry: a known protocol, a port number or name, an `endPort` that makes a range. */
export function acceptedPort(entry: PortModel): boolean {
  if (!isProtocol(entry.protocol)) return false;
  const { port, endPort } = entry;
  if (typeof port === 'string') return portName(port).length === 0 && endPort === undefined;
  if (port !== undefined && portNumber(port).length > 0) return false;
  if (endPort === undefined) return true;
  return port !== undefined && endPort >= port && portNumber(endPort).length === 0;
}

/** A label `key: value` (as matchLabels holds it). */
export function acceptedLabel(key: string, value: string): boolean {
  return qualifiedName(key).length === 0 && labelValue(value).length === 0;
}

/** A label selector: valid label keys and values, known operators with the values they need. */
export function acceptedSelector(selector: LabelSelector): boolean {
  const labels = Object.entries(selector.matchLabels).every(([key, value]) => acceptedLabel(key, value));
  return (
    labels &&
    selector.matchExpressions.every((r) => {
      if (!OPERATORS.has(r.operator) || qualifiedName(r.key).length > 0) return false;
      const needsValues = r.operator === 'In' || r.operator === 'NotIn';
      return needsValues === r.values.length > 0 && r.values.every((v) => labelValue(v).length === 0);
    })
  );
}

/** Per block: the three ipBlock lints ask for each block of each rule. */
const acceptedBlocks = new WeakMap<IpBlockModel, boolean>();

/** An ipBlock whose `cidr` and every `except` are CIDRs. */
export function acceptedIpBlock(block: IpBlockModel): boolean {
  let accepted = acceptedBlocks.get(block);
  if (accepted === undefined) {
    accepted = [block.cidr, ...block.except].every((text) => parseCidr(text).family !== 'invalid');
    acceptedBlocks.set(block, accepted);
  }
  return accepted;
}
