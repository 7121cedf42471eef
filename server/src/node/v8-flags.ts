// V8 flags that a process of ours sets for itself at run time, unless node's command line chose them.
import { setFlagsFromString } from 'node:v8';

/**
 * Whether node's command line (or NODE_OPTIONS, in case a node to come allows it there) names the flag:
 * `--flag`, `--no-flag` or `--flag=value`, written with dashes or underscores as V8 takes both. A longer
 * flag that starts with the same words (`--interrupt-budget-for-feedback-allocation`) is another flag.
 */
export function chosen(flag: string, execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const named = new RegExp(`(?:^|\\s)--(?:no-)?${flag.replace(/-/g, '[-_]')}(?:=|\\s|$)`);
  return [...execArgv, nodeOptions ?? ''].some((arg) => named.test(arg));
}

/** Sets `setting` (`--flag=value`) unless the command line names `flag`. */
export function setUnlessChosen(
  flag: string,
  setting: string,
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): void {
  if (chosen(flag, execArgv, nodeOptions)) return;
  try {
    setFlagsFromString(setting);
  } catch {
    // Not a V8 that knows the flag: its own setting stays.
  }
}
