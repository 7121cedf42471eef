// `netpol-lens`: the analysis core on the command line, for people and CI pipelines.
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  serviceOfSnapshot,
  displayText,
  describeUnreadable,
  placeUnder,
  workspaceFolder,
  DEFAULT_SETTINGS,
  DIFF_FORMATS,
  formatReadingSummary,
  inputProblems,
  readingSummary,
  formatPosition,
  OUTPUT_FORMATS,
  type Analysis,
  type AnalysisOptions,
  type DiffFormat,
  type LanguageService,
  type OutputFormat,
  type PortQuery,
  type Problem,
  type SeveritySetting,
  type UnreadableObject,
  type WorkspaceSnapshot,
  parsePortQuery,
  PORT_QUERY_FORMAT,
  RULES,
  ruleFor,
} from '../core/index';
import { runDiff } from './diff';
import { largestFileChars, loadFiles } from './files';
import { DEFAULT_MAX_FILE_MB } from '../node/manifest-files';
import { growHeapToTwiceLive } from '../node/heap-growth';
import { tuneForLargestFile } from '../node/cli-tuning';
import { defaultJobs, JOBS_VARIABLE, startDiagnosticsWorker } from '../node/parallel-diagnostics';
import { fixtureFolders } from '../node/warm-up-fixtures';
import { sarifLog, sarifResult } from './sarif';
import { chunkedWriter, PLACE_OF_ARRAY, writeJsonArray, writeJsonWith } from './json-stream';
import packageJson from '../../../package.json';

/** Exit codes: 0 fine (or allowed), 1 problems in the input (or denied), 2 wrong usage. */
const EXIT_PROBLEMS = 1;
const EXIT_USAGE = 2;
/** `can`: the answer depends on an object that cannot be read. */
const EXIT_UNKNOWN = 3;

class UsageError extends Error {}

/** The CLI reads whole repositories: documents no analysis reads are not parsed (see core/prefilter.ts). */
const CLI_PARSE = { relevantOnly: true } as const;

interface CommonOptions {
  implicit: boolean;
  namespace: string;
  ipblockMatchesPods: boolean;
  podCidr: string[];
  quiet: boolean;
  verbose: boolean;
  exclude: string[];
  maxFileSize: number;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function addCommonOptions(command: Command): Command {
  return addAnalysisOptions(
    command.argument(
      '<paths...>',
      'manifest files or folders (searched recursively for .yaml, .yml and .json)',
    ),
  );
}

/** The options of every command that analyses manifests (`diff` takes its two arguments itself). */
function addAnalysisOptions(command: Command): Command {
  return command
    .option(
      '--no-implicit',
      'leave out the implicit kube-dns and inferred representative pods (compare with other tools)',
    )
    .option('-n, --namespace <name>', 'namespace of objects without metadata.namespace', 'default')
    .option('--ipblock-matches-pods', 'let ipBlocks also match pod IPs, as some network plugins do', false)
    .option(
      '--pod-cidr <cidr>',
      'pod network CIDR, used with --ipblock-matches-pods (repeatable)',
      collect,
      [],
    )
    .option(
      '--exclude <glob>',
      'leave out files matching the glob, relative to each folder argument (repeatable)',
      collect,
      [],
    )
    .option(
      '--max-file-size <MB>',
      `skip (and report) files larger than this many megabytes (default ${DEFAULT_MAX_FILE_MB})`,
      parseMegabytes,
      DEFAULT_MAX_FILE_MB,
    )
    .option('-q, --quiet', 'do not print problems found in the input', false)
    .option(
      '-v, --verbose',
      'print a summary line: documents read by kind, documents skipped by reason',
      false,
    );
}

function parseMegabytes(value: string): number {
  const mb = Number(value);
  if (!Number.isFinite(mb) || mb <= 0)
    throw new InvalidArgumentError('expected a positive number of megabytes');
  return mb;
}

function analysisOptions(options: CommonOptions): AnalysisOptions {
  return {
    defaultNamespace: options.namespace,
    implicitDns: options.implicit,
    inferPods: options.implicit,
    ipBlockMatchesPods: options.ipblockMatchesPods,
    podCIDRs: options.podCidr,
  };
}

function formatProblem(p: Problem): string {
  return displayText(`${p.uri}:${formatPosition(p.range)}: ${p.severity}: ${p.message} [${p.code}]`);
}

/** `reach` lists what is known; the pairs unreadable objects could change are counted on stderr. */
function reportUnknownPairs(analysis: Analysis, io: Io): void {
  let count = 0;
  const because = new Set<UnreadableObject>();
  for (const pair of analysis.reachability.unknownPairs()) {
    count++;
    for (const u of pair.because) because.add(u);
  }
  if (count === 0) return;
  const folder = workspaceFolder(analysis);
  const lines = [...because].map(
    (u) =>
      `  ${displayText(`${describeUnreadable(u)} (${placeUnder(folder, u.uri, formatPosition(u.reasonRange))}): ${u.reason}`)}\n`,
  );
  io.err(
    `netpol-lens: ${count} connection(s) are unknown and not listed, because these cannot be read:\n${lines.join('')}`,
  );
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Told the characters of the largest file read, before the files are parsed. */
  beforeParse?: (largestFileChars: number) => void;
}

interface Loaded {
  service: LanguageService;
  fileCount: number;
  /** Paths that could not be read. */
  errors: string[];
}

/**
 * Loads the paths into a language service with the command's options, printing paths that cannot be
 * searched (and with -v the summary line); `beforeParse` gets the workspace read, before it is parsed.
 * Files found but not read (a FIFO, too large, undecodable) are problems of their own
 * (netpol.file-unreadable), as in the editor.
 */
async function load(
  paths: string[],
  options: CommonOptions,
  io: Io,
  severity: Record<string, SeveritySetting> = {},
  beforeParse?: (snapshot: WorkspaceSnapshot) => void,
): Promise<Loaded> {
  const { files, unreadable, errors } = await loadFiles(paths, {
    exclude: options.exclude,
    maxFileMB: options.maxFileSize,
  });
  for (const error of errors) io.err(`netpol-lens: ${displayText(error)}\n`);
  io.beforeParse?.(largestFileChars(files));
  const snapshot: WorkspaceSnapshot = {
    settings: { ...DEFAULT_SETTINGS, ...analysisOptions(options), severity },
    files: [
      ...files.map(({ uri, text }) => ({ uri, text, ...CLI_PARSE })),
      ...unreadable.map(({ uri, reason }) => ({ uri, unreadable: reason })),
    ],
  };
  beforeParse?.(snapshot);
  const service = serviceOfSnapshot(snapshot, {
    onError: (what, error) => io.err(`netpol-lens: ${what} failed: ${String(error)}\n`),
    analysedOnce: true,
  });
  if (options.verbose) {
    const read = readingSummary(service.state().analysis.files);
    io.err(`netpol-lens: ${formatReadingSummary(read, errors.length)}\n`);
  }
  return { service, fileCount: files.length + unreadable.length, errors };
}

/**
 * Loads and analyses the paths, printing what could not be read or used (what the API server would
 * reject included: an invalid CIDR allows nothing); returns the service and whether input was bad.
 */
async function run(
  paths: string[],
  options: CommonOptions,
  io: Io,
): Promise<{ service: LanguageService; bad: boolean }> {
  const { service, errors } = await load(paths, options, io);
  const problems = inputProblems(service.state().analysis, {
    onRuleError: (code, error) => io.err(`netpol-lens: rule ${code} failed: ${String(error)}\n`),
  });
  if (!options.quiet) for (const p of problems) io.err(formatProblem(p) + '\n');
  const bad = errors.length > 0 || problems.some((p) => p.severity === 'error');
  return { service, bad };
}

const SEVERITY_RANK: Record<string, number> = { hint: 1, information: 2, warning: 3, error: 4 };
const SEVERITY_SETTINGS = new Set(['error', 'warning', 'information', 'hint', 'off']);

function parseSeverity(
  value: string,
  previous: Record<string, SeveritySetting>,
): Record<string, SeveritySetting> {
  const match = /^([^=\s]+)=([a-z]+)$/.exec(value.trim());
  if (!match || !SEVERITY_SETTINGS.has(match[2])) {
    throw new InvalidArgumentError(
      'expected CODE=LEVEL with LEVEL one of error, warning, information, hint, off',
    );
  }
  // A misspelt code would otherwise change nothing, silently.
  if (!ruleFor(match[1])) {
    const codes = RULES.map((rule) => rule.code).join(', ');
    throw new InvalidArgumentError(`unknown diagnostic code ${match[1]}; the codes are: ${codes}`);
  }
  return { ...previous, [match[1]]: match[2] as SeveritySetting };
}

interface CheckOptions extends CommonOptions {
  format: 'text' | 'json' | 'sarif';
  failOn: string;
  severity: Record<string, SeveritySetting>;
  sarifBase?: string;
  jobs: number;
}

function summary(problems: Problem[], fileCount: number): string {
  const count = (...severities: string[]) => problems.filter((p) => severities.includes(p.severity)).length;
  return (
    `${problems.length} problem(s): ${count('error')} error(s), ${count('warning')} warning(s), ` +
    `${count('information', 'hint')} note(s) in ${fileCount} file(s)\n`
  );
}

function jsonProblem(p: Problem) {
  return {
    uri: p.uri,
    line: p.range.start.line + 1,
    column: p.range.start.character + 1,
    endLine: p.range.end.line + 1,
    endColumn: p.range.end.character + 1,
    severity: p.severity,
    code: p.code,
    message: p.message,
  };
}

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new InvalidArgumentError('expected a whole number, 1 or more');
  return jobs;
}

function parsePort(value: string): PortQuery {
  const port = parsePortQuery(value);
  if (!port) throw new InvalidArgumentError(`expected ${PORT_QUERY_FORMAT}`);
  return port;
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('netpol-lens')
    .description('Understand Kubernetes NetworkPolicies: who can reach whom, on which ports, and why.')
    .version(packageJson.version)
    .showHelpAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  addCommonOptions(
    program
      .command('reach')
      .description(
        'print the connectivity list: every allowed connection between workloads and address ranges',
      ),
  )
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS).default('txt'))
    .action(async (paths: string[], options: CommonOptions & { output: OutputFormat }) => {
      const { service, bad } = await run(paths, options, io);
      io.out(service.reachability(options.output));
      // The json output lists them itself; the others must stay diffable, so the note goes to stderr.
      const note = service.unanalysedNote();
      if (note && options.output !== 'json') io.err(`netpol-lens: ${displayText(note)}\n`);
      reportUnknownPairs(service.state().analysis, io);
      setExit(bad ? EXIT_PROBLEMS : 0);
    });

  addCommonOptions(
    program
      .command('can')
      .description('is a connection allowed? prints the rules that decide it (exit 0 allowed, 1 denied)'),
  )
    .requiredOption('--from <peer>', 'source: namespace/name, namespace/name[Kind], or an IPv4 address')
    .requiredOption('--to <peer>', 'destination: namespace/name, namespace/name[Kind], or an IPv4 address')
    .option('--port <port>', 'PORT[/PROTOCOL], e.g. 80/TCP (default protocol TCP)', parsePort)
    .action(
      async (paths: string[], options: CommonOptions & { from: string; to: string; port?: PortQuery }) => {
        const { service, bad } = await run(paths, options, io);
        const answer = service.canReach(options.from, options.to, options.port);
        if (!answer.found) {
          const flag = answer.role === 'source' ? '--from' : '--to';
          const unknown = answer.message === `${answer.spec}: no such peer`;
          throw new UsageError(
            `${flag} ${displayText(answer.message)}${unknown ? '; run `netpol-lens reach` to list peers' : ''}`,
          );
        }
        io.out(answer.text + '\n');
        // Input problems make an ALLOWED untrustworthy: exit 1 as for every command.
        if (answer.result.unknown.length > 0) setExit(EXIT_UNKNOWN);
        else setExit(answer.result.allowed && !bad ? 0 : EXIT_PROBLEMS);
      },
    );

  addCommonOptions(
    program
      .command('check')
      .description('report mistakes the API server would reject and semantic traps, for CI pipelines'),
  )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'),
    )
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a diagnostic at or above this severity is found')
        .choices(['error', 'warning', 'information', 'hint', 'never'])
        .default('error'),
    )
    .option(
      '--sarif-base <dir>',
      'with -f sarif: write file paths relative to this folder (default: the current folder)',
    )
    .option(
      '--severity <code=level>',
      'override a severity, e.g. netpol.no-default-deny=warning (repeatable)',
      parseSeverity,
      {},
    )
    .option(
      '-j, --jobs <n>',
      `threads for the analysis: 1 runs it on one core, 2 or more share the rules with a second thread on large workspaces (default: ${JOBS_VARIABLE}, else 1)`,
      parseJobs,
    )
    .action(async (paths: string[], options: CheckOptions) => {
      // Started first, the worker loads its code while the files are read, and parses them with this thread.
      const worker = startDiagnosticsWorker({
        jobs: options.jobs ?? defaultJobs(),
        log: (message) => io.err(`netpol-lens: ${message}\n`),
        onError: (what, error) => io.err(`netpol-lens: ${what} failed: ${String(error)}\n`),
        onShared: (theirs, units) => {
          if (options.verbose)
            io.err(`netpol-lens: rules shared with a worker thread: it ran ${theirs} of ${units} units\n`);
        },
      });
      let loaded: Loaded;
      try {
        loaded = await load(paths, options, io, options.severity, (snapshot) => worker?.analyse(snapshot));
      } catch (error) {
        worker?.stop();
        throw error;
      }
      const { service, fileCount, errors } = loaded;
      const problems = worker ? await worker.allDiagnostics(service) : service.allDiagnostics();
      // Written as made: a large file's report never exists whole (see json-stream.ts).
      if (options.format === 'json') {
        writeJsonArray(problems, jsonProblem, io.out);
        io.out('\n');
      } else if (options.format === 'sarif') {
        const baseDir = resolve(options.sarifBase ?? '.');
        const log = sarifLog(packageJson.version, baseDir, PLACE_OF_ARRAY);
        writeJsonWith(log, problems, sarifResult(baseDir), io.out);
        io.out('\n');
      } else {
        const out = chunkedWriter(io.out);
        for (const p of problems) {
          out.write(
            displayText(`${p.uri}:${formatPosition(p.range)} ${p.severity} ${p.code} ${p.message}`) + '\n',
          );
        }
        out.flush();
        io.err(summary(problems, fileCount));
      }
      const threshold = SEVERITY_RANK[options.failOn] ?? Infinity;
      const failing = errors.length > 0 || problems.some((p) => SEVERITY_RANK[p.severity] >= threshold);
      setExit(failing ? EXIT_PROBLEMS : 0);
    });

  addCommonOptions(
    program
      .command('explain')
      .description('explain each NetworkPolicy and cluster-scoped policy in plain English'),
  ).action(async (paths: string[], options: CommonOptions) => {
    const { service, bad } = await run(paths, options, io);
    const texts = [...service.explainClusterPolicies(), ...service.explainPolicies()].map((e) => e.text);
    texts.push(...service.explainUnreadable().map((e) => e.text));
    const note = service.unanalysedNote();
    if (note) texts.push(displayText(note));
    io.out(texts.length > 0 ? texts.join('\n\n') + '\n' : 'No NetworkPolicy found.\n');
    setExit(bad ? EXIT_PROBLEMS : 0);
  });
  addAnalysisOptions(
    program
      .command('diff')
      .description('print what changes in the connectivity list from OLD to NEW (each a path or REV:PATH)')
      .argument('<old>', 'manifest file or folder, or REV:PATH for PATH as of a git revision')
      .argument('<new>', 'manifest file or folder, or REV:PATH for PATH as of a git revision'),
  )
    .addOption(new Option('-o, --output <format>', 'output format').choices(DIFF_FORMATS).default('txt'))
    .option('--exit-code', 'exit with 1 when anything differs', false)
    .action(
      async (
        oldSpec: string,
        newSpec: string,
        options: CommonOptions & { output: DiffFormat; exitCode: boolean },
      ) => {
        const code = await runDiff({
          oldSpec,
          newSpec,
          options: analysisOptions(options),
          parse: CLI_PARSE,
          format: options.output,
          exitCode: options.exitCode,
          quiet: options.quiet,
          cwd: process.cwd(),
          out: io.out,
          err: io.err,
          formatProblem,
          beforeParse: io.beforeParse,
        });
        setExit(code);
      },
    );
  return program;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit with 0; every other commander error is a usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.err(`netpol-lens: ${error.message}\n`);
      return EXIT_USAGE;
    }
    io.err(`netpol-lens: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 70;
  }
}

/**
 * `netpol-lens reach … | head -1`: the reader has what it wanted and closed the pipe. Stop quietly, as
 * the classic Unix tools do, rather than report a broken pipe as an internal error.
 */
function stopQuietlyWhenOutputCloses(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/**
 * The build runs this before it writes the bundle's code cache (code-cache.ts): `check` and `reach` over
 * the repository's fixtures, silently, so that the cache holds the analysis' functions too.
 */
export async function warmUpForCodeCache(): Promise<void> {
  const folders = fixtureFolders(__dirname);
  if (folders.length === 0) return;
  const silent: Io = { out: () => undefined, err: () => undefined };
  await main(['check', '-q', ...folders], silent);
  await main(['reach', '-o', 'txt', folders[0]], silent);
}

if (require.main === module) {
  growHeapToTwiceLive(process.execArgv, process.env.NODE_OPTIONS);
  stopQuietlyWhenOutputCloses(process.stdout);
  stopQuietlyWhenOutputCloses(process.stderr);
  main(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    beforeParse: (chars) => tuneForLargestFile(chars, process.execArgv, process.env.NODE_OPTIONS),
  }).then((code) => {
    process.exitCode = code;
  });
}
