// netpol.split-peer: join `- namespaceSelector: …` and the `- podSelector: …` after it into one peer.
import { CODES } from '../codes';
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { contentEnd, policyNode, ruleNode, valueOf } from '../diagnostics/lint-yaml';
import type { Fix, QuickFixProvider, TextEdit } from './fix';
import {
  column,
  dashOf,
  editFile,
  editKeepingComments,
  lineStart,
  policyAt,
  textEdit,
  type EditFile,
} from './fix-yaml';

/** Both flow maps: `{namespaceSelector: …}, {podSelector: …}` → `{namespaceSelector: …, podSelector: …}`. */
function joinFlow(f: EditFile, first: YAMLMap, second: YAMLMap): TextEdit | undefined {
  const lastPair = first.items[first.items.length - 1];
  const firstKey = second.items[0]?.key as Node | undefined;
  const end = lastPair && contentEnd(f.text, (lastPair.value ?? lastPair.key) as Node);
  if (end === undefined || !firstKey?.range) return undefined;
  // A comment after the first peer (`}  # team a`) would be deleted with the punctuation: it moves up.
  return editKeepingComments(f, end, firstKey.range[0], ', ');
}

/** Both block maps: drop the second item's `-` and align its keys with the first item's. */
function joinBlock(f: EditFile, first: YAMLMap, second: YAMLMap): TextEdit | undefined {
  const dash = dashOf(f, second);
  if (dash === undefined || !first.range || !second.range) return undefined;
  const target = column(f.text, first.range[0]);
  const current = column(f.text, second.range[0]);
  if (f.text.slice(lineStart(f.text, dash), dash).trim() !== '') return undefined;
  if (current === target) return textEdit(f, dash, dash + 1, ' ');
  // Different spacing after the dash: re-indent every line of the item by the same amount.
  const start = lineStart(f.text, dash);
  const end = contentEnd(f.text, second);
  const lines = f.text.slice(second.range[0], end).split('\n');
  const shift = target - current;
  const moved = lines.map((line, i) => {
    if (i === 0) return ' '.repeat(target) + line;
    const blanks = line.length - line.trimStart().length;
    return shift >= 0 ? ' '.repeat(shift) + line : line.slice(Math.min(-shift, blanks));
  });
  return textEdit(f, start, end, moved.join('\n'));
}

export const SPLIT_PEER_FIXES: QuickFixProvider = {
  codes: [CODES.splitPeer],
  fixes(analysis, problem): Fix[] {
    const data = problem.data ?? {};
    const policy = policyAt(analysis, problem);
    const f = editFile(analysis, problem.uri);
    const located = policy && policyNode(analysis, policy);
    if (!f || !located || typeof data.ruleIndex !== 'number' || typeof data.podPeer !== 'number') return [];
    const direction = data.direction === 'egress' ? 'egress' : 'ingress';
    const peers = valueOf(
      ruleNode(located, direction, data.ruleIndex),
      direction === 'egress' ? 'to' : 'from',
    );
    if (!isSeq(peers)) return [];
    const first = peers.items[data.podPeer - 1];
    const second = peers.items[data.podPeer];
    if (!isMap(first) || !isMap(second)) return [];
    const edit =
      first.flow && second.flow
        ? joinFlow(f, first, second)
        : !first.flow && !second.flow && !peers.flow
          ? joinBlock(f, first, second)
          : undefined;
    return edit
      ? [{ title: 'Make namespaceSelector and podSelector one peer', edits: [edit], isPreferred: true }]
      : [];
  },
};
