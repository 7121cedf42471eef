// Labels and label selectors, as ValidateLabels and ValidateLabelSelector check them.
import { isSeq, type Node, type YAMLMap } from 'yaml';
import { API } from './api-codes';
import { caseFix, suggestLabelKey, suggestLabelValue } from './api-suggest';
import { forbidden, invalid, labelValue, qualifiedName, required } from './api-validation';
import { child, labelText, stringValue, type Sink } from './api-yaml';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** Label keys and values of a labels/matchLabels mapping; errors carry the mapping's path, as upstream. */
export function checkLabels(s: Sink, map: YAMLMap | undefined, path: string): void {
  if (!map) return;
  // Indexed, without destructuring the entries (see lint-util.ts): every object's labels come here.
  const entries = s.entries(map);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const key = entry[0];
    const valueNode = entry[1];
    checkLabelKey(s, key, entry[2], path);
    const value = labelText(valueNode);
    if (value === undefined) continue; // a wrong type, reported by the model
    const messages = labelValue(value);
    if (messages.length === 0) continue;
    for (const message of messages) {
      s.report(API.labelValue, valueNode, invalid(path, value, message), {
        key,
        value,
        suggestion: suggestLabelValue(value),
      });
    }
  }
}

function checkLabelKey(s: Sink, key: string, node: Node, path: string): void {
  const messages = qualifiedName(key);
  if (messages.length === 0) return;
  for (const message of messages) {
    s.report(API.labelKey, node, invalid(path, key, message), { key, suggestion: suggestLabelKey(key) });
  }
}

export function checkSelector(s: Sink, node: Node | undefined, path: string): void {
  const map = s.map(node);
  if (!map) return;
  const labels = s.mapAt(map, 'matchLabels');
  if (labels) checkLabels(s, labels, child(path, 'matchLabels'));
  const expressions = s.items(map, 'matchExpressions');
  for (let i = 0; i < expressions.length; i++) {
    const requirement = s.map(expressions[i]);
    if (requirement) checkRequirement(s, requirement, `${path}.matchExpressions[${i}]`);
  }
}

function checkRequirement(s: Sink, map: YAMLMap, path: string): void {
  const keyNode = s.get(map, 'key');
  const key = keyNode === undefined ? '' : stringValue(keyNode);
  if (key !== undefined) checkLabelKey(s, key, keyNode ?? map, child(path, 'key'));
  const valuesNode = s.get(map, 'values');
  if (valuesNode !== undefined && !isSeq(valuesNode)) return; // a wrong type, reported by the model
  checkOperator(s, map, path);
  s.items(map, 'values').forEach((node, i) => {
    const value = labelText(node);
    if (value === undefined) return;
    for (const message of labelValue(value)) {
      s.report(API.labelValue, node, invalid(`${path}.values[${i}]`, value, message), {
        value,
        suggestion: suggestLabelValue(value),
      });
    }
  });
}

function checkOperator(s: Sink, map: YAMLMap, path: string): void {
  const node = s.get(map, 'operator');
  const operator = node === undefined ? '' : stringValue(node);
  if (operator === undefined) return;
  const count = s.items(map, 'values').length;
  const valuesPath = child(path, 'values');
  if (operator === 'In' || operator === 'NotIn') {
    if (count > 0) return;
    const at = s.keyNode(map, 'values') ?? node ?? map;
    const message = required(valuesPath, "must be specified when `operator` is 'In' or 'NotIn'");
    s.report(API.selectorValues, at, message, { operator, reason: 'required' });
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (count === 0) return;
    const message = forbidden(
      valuesPath,
      "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    );
    s.report(API.selectorValues, s.keyNode(map, 'values'), message, { operator, reason: 'forbidden' });
  } else {
    const message = invalid(child(path, 'operator'), operator, 'not a valid selector operator');
    s.report(API.operator, node ?? map, message, { operator, suggestion: caseFix(operator, OPERATORS) });
  }
}
