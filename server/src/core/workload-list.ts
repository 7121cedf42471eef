// Workloads named in a sentence. Which ones the engine made up (inferred representative pods, the
// assumed cluster DNS) is said in words, never in brackets: the list itself often sits in parentheses
// ("(matches …)", "(for …)") and an id ends in one (`shop/web[Pod]`).

interface Named {
  id: string;
  inferred?: boolean;
  implicit?: boolean;
}

/**
 * "a/x[Pod], b/y[Pod] and the inferred pods shop/api[Pod], shop/web[Pod]": the first `limit` workloads in
 * their order, grouped as written, inferred and assumed, then "and N more".
 */
export function workloadList(workloads: readonly Named[], limit = 8): string {
  return workloadListOf(workloads.slice(0, limit), workloads.length, limit);
}

/** The same from the first `limit` workloads and how many there are in all (a count, not a list). */
export function workloadListOf(first: readonly Named[], total: number, limit = 8): string {
  if (total === 0) return 'no workload in the workspace';
  const shown = first.slice(0, limit);
  const ids = (keep: (w: Named) => boolean) => shown.filter(keep).map((w) => w.id);
  const written = ids((w) => !w.inferred && !w.implicit);
  const inferred = ids((w) => !!w.inferred && !w.implicit);
  const assumed = ids((w) => !!w.implicit);
  const groups = [
    ...(written.length > 0 ? [written.join(', ')] : []),
    ...(inferred.length > 0
      ? [`the inferred ${inferred.length === 1 ? 'pod' : 'pods'} ${inferred.join(', ')}`]
      : []),
    ...(assumed.length > 0 ? [`the assumed cluster DNS ${assumed.join(', ')}`] : []),
  ];
  const more = total > limit ? `, and ${total - limit} more` : '';
  return groups.join(' and ') + more;
}
