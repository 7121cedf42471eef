// ipBlock except entries: remove one that is invalid or removes nothing, repair an address written
// without a prefix length, and except the cloud metadata address.
import { CODES } from '../codes';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { contains, parseCidr } from '../addresses';
import { valueOf } from '../diagnostics/lint-yaml';
import type { Analysis } from '../index';
import type { Problem } from '../types';
import type { Fix, QuickFixProvider } from './fix';
import {
  addPair,
  appendToSeq,
  editFile,
  problemPath,
  removeSeqItem,
  replaceScalar,
  type EditFile,
} from './fix-yaml';

/** The except scalar at the problem, its list and the ipBlock map. */
function exceptAt(f: EditFile, problem: Problem) {
  const path = problemPath(f, problem);
  const [block, seq, item] = path.slice(-3);
  if (!isMap(block) || !isSeq(seq) || !isScalar(item) || valueOf(block, 'except') !== seq) return undefined;
  return { block, seq, item, index: seq.items.indexOf(item) };
}

/** `10.1.2.3` → `10.1.2.3/32`, when that is a strict subset of the cidr. */
function withPrefix(cidr: unknown, except: unknown): string | undefined {
  if (typeof cidr !== 'string' || typeof except !== 'string' || except.includes('/')) return undefined;
  const outer = parseCidr(cidr);
  const inner = parseCidr(`${except.trim()}/32`);
  if (outer.family !== 'ipv4' || inner.family !== 'ipv4') return undefined;
  const strict = inner.interval.lo !== outer.interval.lo || inner.interval.hi !== outer.interval.hi;
  return contains(outer.interval, inner.interval) && strict ? `${except.trim()}/32` : undefined;
}

function exceptFixes(analysis: Analysis, problem: Problem): Fix[] {
  const f = editFile(analysis, problem.uri);
  const found = f && exceptAt(f, problem);
  if (!f || !found || found.index < 0) return [];
  const text = String(found.item.value);
  const fixes: Fix[] = [];
  const repaired = problem.code === CODES.invalidExcept ? withPrefix(problem.data?.cidr, text) : undefined;
  const repair = repaired && replaceScalar(f, found.item, repaired);
  if (repair) fixes.push({ title: `Change except to ${repaired}`, edits: [repair], isPreferred: true });
  const removal = removeSeqItem(f, found.seq, found.index, found.block, 'except');
  if (removal) fixes.push({ title: `Remove except ${text}`, edits: [removal], isPreferred: !repair });
  return fixes;
}

function metadataFixes(analysis: Analysis, problem: Problem): Fix[] {
  const f = editFile(analysis, problem.uri);
  const except = problem.data?.except;
  const [block, cidr] = f ? problemPath(f, problem).slice(-2) : [];
  if (!f || typeof except !== 'string' || !isMap(block) || valueOf(block, 'cidr') !== (cidr as Node))
    return [];
  const list = valueOf(block, 'except');
  // An `except` written some other way (an alias to a list elsewhere) is not this fix's to change.
  if (list !== undefined && list !== null && !isSeq(list)) return [];
  const edit = isSeq(list) ? appendToSeq(f, list, [except]) : addPair(f, block, 'except', [except], 'cidr');
  return edit ? [{ title: `Add ${except} to except`, edits: [edit], isPreferred: true }] : [];
}

export const EXCEPT_FIXES: QuickFixProvider = {
  codes: [CODES.exceptNoOp, CODES.invalidExcept, CODES.metadataExposed],
  fixes: (analysis, problem) =>
    problem.code === CODES.metadataExposed
      ? metadataFixes(analysis, problem)
      : exceptFixes(analysis, problem),
};
