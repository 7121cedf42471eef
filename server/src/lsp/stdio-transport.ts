// The connection for `--stdio`. The library's own stdio mode ignores a framing error (a header without
// Content-Length, a body that is not JSON because the length was wrong): its reader has lost the start
// of the next message and never finds it again, so every later request goes unanswered while the
// process lives on. Here such an error is written to stderr and the process exits with 1, so that the
// client sees the server die and restarts it. The bounds the library lacks (a header without its blank
// line, an absurd Content-Length, the input ending inside a message) are kept by stdio-framing-guard.ts.
import {
  createConnection,
  Message,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Connection,
  type DataCallback,
} from 'vscode-languageserver/node';
import { StdioFramingGuard } from './stdio-framing-guard';

export interface StdioHost {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where the reason goes: never stdout, which carries the protocol. */
  log(text: string): void;
  exit(code: number): void;
}

const PROCESS_HOST: StdioHost = {
  input: process.stdin,
  output: process.stdout,
  log: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
};

export function createStdioConnection(host: StdioHost = PROCESS_HOST): Connection {
  const framingError = (reason: string) => {
    host.log(
      `netpol-lens: the LSP input cannot be read (${reason}); exiting so that the client restarts the server\n`,
    );
    host.exit(1);
  };
  const reader = new StreamMessageReader(host.input.pipe(new StdioFramingGuard(framingError)));
  const writer = new StreamMessageWriter(host.output);
  let shutdownRequested = false;
  reader.onError((error) => framingError(error.message.split('\n')[0]));
  // As in the library's stdio mode: the end of the input ends the server (0 only after `shutdown`).
  reader.onClose(() => host.exit(shutdownRequested ? 0 : 1));
  const listen = reader.listen.bind(reader);
  reader.listen = (callback: DataCallback) =>
    listen((message) => {
      if (Message.isRequest(message) && message.method === 'shutdown') shutdownRequested = true;
      callback(message);
    });
  // Stdout carries the protocol: anything written to the console goes to stderr instead.
  for (const level of ['log', 'info', 'warn', 'debug'] as const) console[level] = console.error;
  return createConnection(ProposedFeatures.all, reader, writer);
}
