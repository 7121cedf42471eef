// Cheap text checks for "is this YAML a Kubernetes manifest?", so the extension stays invisible in
// YAML files that are not (CI configs, docker-compose, …). The server does the real parsing.

/** Only the head of a big file is looked at. */
const HEAD = 64 * 1024;

/**
 * A top-level (or list item) `apiVersion:` and `kind:` pair, as every Kubernetes object has; in JSON
 * (`{"apiVersion": …, "kind": …}`, on one line or many) the quoted keys anywhere.
 */
export function looksLikeKubernetes(text: string): boolean {
  const head = text.slice(0, HEAD);
  if (/^\s*[{[]/.test(head)) return /\bapiVersion["']?\s*:/.test(head) && /\bkind["']?\s*:/.test(head);
  return /^(?:- )?\s*apiVersion\s*:\s*\S/m.test(head) && /^(?:- )?\s*kind\s*:\s*\S/m.test(head);
}

export function mentionsNetworkPolicy(text: string): boolean {
  return (
    /(?:^\s*(?:- )?\s*|")kind"?\s*:\s*["']?NetworkPolicy\b/m.test(text.slice(0, HEAD)) &&
    looksLikeKubernetes(text)
  );
}
