// Every request handler runs through runSafe: an exception is logged and answered with a default,
// cancellation is honoured, and the server lives on.
import {
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
} from 'vscode-languageserver/node';

/** The answer to a request the client cancelled ($/cancelRequest): the error LSP prescribes, not a result. */
export function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
}

export function runSafe<T>(
  connection: Connection,
  name: string,
  token: CancellationToken | undefined,
  fallback: T,
  work: () => T,
): T | ResponseError<void> {
  if (token?.isCancellationRequested) return cancelled();
  try {
    const result = work();
    return token?.isCancellationRequested ? cancelled() : result;
  } catch (error) {
    connection.console.error(`netpol-lens: ${name} failed: ${(error as Error)?.stack ?? String(error)}`);
    return fallback;
  }
}
