// Every request handler runs through runSafe: an exception is logged and answered with a default,
// cancellation is honoured, and the server lives on.
import type { CancellationToken, Connection } from 'vscode-languageserver/node';

export function runSafe<T>(
  connection: Connection,
  name: string,
  token: CancellationToken | undefined,
  fallback: T,
  work: () => T,
): T {
  if (token?.isCancellationRequested) return fallback;
  try {
    const result = work();
    return token?.isCancellationRequested ? fallback : result;
  } catch (error) {
    connection.console.error(`netpol-lens: ${name} failed: ${(error as Error)?.stack ?? String(error)}`);
    return fallback;
  }
}
