// `kind: ConnectivityExpectations` documents: the connectivity a team promises, read from any YAML
// document of that shape in the workspace. Reading checks the document against the bundled schema
// (schemas/connectivity-expectations-v1.json) and the syntax of peers and ports; whether the peers exist
// is for the evaluation (evaluate.ts), which sees the whole workspace.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import schema from '../../../../schemas/connectivity-expectations-v1.json';
import { parseIpv4Address } from '../addresses';
import { schemaIssues } from '../diagnostics/schema-errors';
import { schemaErrors } from '../diagnostics/schema-validate';
import type { KubeObject, ParsedFile } from '../parse';
import { parsePortQuery, PORT_QUERY_FORMAT } from '../queries';
import type { PortQuery } from '../reachability';
import type { Range } from '../types';

export const EXPECTATIONS_API_VERSION = 'netpol-lens/v1';
export const EXPECTATIONS_KIND = 'ConnectivityExpectations';
export const EXPECTATIONS_SCHEMA = schema;

/** A located complaint about a malformed document or expectation. */
export interface Malformed {
  message: string;
  range: Range;
}

/** One end of an expectation, as written. */
export type PeerSpec =
  /** `ns/*`: every workload of the namespace. */
  | { kind: 'namespace'; text: string; range: Range; namespace: string }
  /** `ns/name`, `ns/name[Kind]` or an IPv4 address: resolved like `netpol-lens can` resolves it. */
  | { kind: 'peer'; text: string; range: Range };

export type Verdict = 'allow' | 'deny';

export interface Expectation {
  /** Position in the `expectations` list. */
  index: number;
  /** The list item. */
  range: Range;
  from?: PeerSpec;
  to?: PeerSpec;
  port?: PortQuery;
  expect?: Verdict;
  description?: string;
  /** Why the item cannot be evaluated (empty when it is well-formed). */
  malformed: Malformed[];
}

export interface ExpectationsDocument {
  uri: string;
  name?: string;
  range: Range;
  object: KubeObject;
  expectations: Expectation[];
  /** Problems of the document outside any expectation (a wrong apiVersion, `expectations` missing, …). */
  malformed: Malformed[];
}

/** True for an object of the expectations kind (any apiVersion: a wrong one is reported, not ignored). */
export function isExpectationsObject(object: Pick<KubeObject, 'kind' | 'apiVersion'> | undefined): boolean {
  return object?.kind === EXPECTATIONS_KIND;
}

const NAMESPACE_WILDCARD = /^([^/\s[\]]+)\/\*$/;
const WORKLOAD_PEER = /^[^/\s[\]]+\/[^/\s[\]]+(\[[A-Za-z]+\])?$/;
const PEER_FORMAT = 'namespace/name, namespace/name[Kind], namespace/* or an IPv4 address';

const documentsOf = new WeakMap<ParsedFile, ExpectationsDocument[]>();

/** The expectations documents of a file, read once per parsed file. */
export function expectationsDocuments(file: ParsedFile): ExpectationsDocument[] {
  let documents = documentsOf.get(file);
  if (!documents) {
    documents = file.objects.filter(isExpectationsObject).map(readDocument);
    documentsOf.set(file, documents);
  }
  return documents;
}

function readDocument(object: KubeObject): ExpectationsDocument {
  // Wrong types are this document's own problems (netpol.expectation-invalid), not netpol.type.
  const r = object.reader.withSink([]);
  const document: ExpectationsDocument = {
    uri: r.source.uri,
    range: object.range,
    object,
    expectations: [],
    malformed: [],
  };
  const name = r.get(r.get(object.node, 'metadata') as YAMLMap | undefined, 'name');
  if (isScalar(name) && typeof name.value === 'string') document.name = name.value;
  if (object.apiVersion !== EXPECTATIONS_API_VERSION) {
    document.malformed.push({
      message: `${EXPECTATIONS_KIND} apiVersion "${object.apiVersion}" is not supported; use ${EXPECTATIONS_API_VERSION}. Not checked.`,
      range: r.range(r.get(object.node, 'apiVersion')),
    });
    return document;
  }
  const items = r.get(object.node, 'expectations');
  const list = isSeq(items) ? items.items : [];
  document.expectations = list.map((item, index) => readExpectation(object, item as Node, index));
  const issues = schemaIssues(r, object.node, schemaErrors(object, EXPECTATIONS_SCHEMA));
  for (const issue of issues) {
    const owner = document.expectations.find((e) => within(issue.range, e.range));
    (owner?.malformed ?? document.malformed).push(issue);
  }
  return document;
}

function within(inner: Range, outer: Range): boolean {
  return outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}

/** Reads the fields of one item; wrong types and missing fields are left to the schema. */
function readExpectation(object: KubeObject, raw: Node, index: number): Expectation {
  const r = object.reader.withSink([]);
  const node = r.deref(raw);
  const expectation: Expectation = { index, range: r.range(node ?? raw), malformed: [] };
  if (!isMap(node)) return expectation; // the schema says what it should be
  /** A string field (or a number, where the schema allows one); other types are the schema's to report. */
  const text = (key: string, numberToo = false) => {
    const value = r.get(node, key);
    const ok =
      isScalar(value) && (typeof value.value === 'string' || (numberToo && typeof value.value === 'number'));
    return ok ? { value: String(value.value), range: r.range(value) } : undefined;
  };
  for (const side of ['from', 'to'] as const) {
    const written = text(side);
    if (!written) continue;
    const peer = readPeer(written.value, written.range);
    if (peer) expectation[side] = peer;
    else
      expectation.malformed.push({
        message: `${side}: "${written.value}" is not a peer; expected ${PEER_FORMAT}`,
        range: written.range,
      });
  }
  const port = text('port', true);
  if (port) {
    const parsed = parsePortQuery(port.value);
    if (parsed) expectation.port = parsed;
    else
      expectation.malformed.push({
        message: `port: "${port.value}" is not a port; expected ${PORT_QUERY_FORMAT}`,
        range: port.range,
      });
  }
  const expect = text('expect')?.value;
  if (expect === 'allow' || expect === 'deny') expectation.expect = expect;
  expectation.description = text('description')?.value;
  return expectation;
}

function readPeer(text: string, range: Range): PeerSpec | undefined {
  const wildcard = NAMESPACE_WILDCARD.exec(text);
  if (wildcard) return { kind: 'namespace', text, range, namespace: wildcard[1] };
  if (WORKLOAD_PEER.test(text) || parseIpv4Address(text) !== undefined) return { kind: 'peer', text, range };
  return undefined;
}
