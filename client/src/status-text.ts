// The status bar's words for an analysis state (pure, so tests need no editor).
import type { AnalysisStateParams } from '../../server/src/protocol';

export function statusText(state: AnalysisStateParams): string {
  const problems = state.problems.error + state.problems.warning + state.problems.information;
  const policies = `${state.policies} ${state.policies === 1 ? 'policy' : 'policies'}`;
  return `NetPol: ${policies}, ${problems} ${problems === 1 ? 'problem' : 'problems'}`;
}

export function statusTooltip(state: AnalysisStateParams): string {
  const p = state.problems;
  return [
    `NetPol Lens: ${state.policies} NetworkPolicies, ${state.workloads} workloads in ${state.files} files`,
    `${p.error} errors, ${p.warning} warnings, ${p.information} infos, ${p.hint} hints`,
    'Click to show the reachability graph.',
  ].join('\n');
}
