// SARIF 2.1.0, the format code-scanning tools accept.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { displayText, RULES, type Problem, type Severity } from '../core/index';

/** The base id GitHub code scanning (and most SARIF viewers) resolve relative result paths against. */
const SRCROOT = '%SRCROOT%';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/**
 * Where a result's file is: relative to `baseDir` (with `uriBaseId` %SRCROOT%) when it lies inside it,
 * as code scanning expects to match results to the repository's files; an absolute file URI otherwise.
 */
function artifactLocation(path: string, baseDir: string): { uri: string; uriBaseId?: string } {
  const absolute = resolve(baseDir, path);
  const inside = relative(baseDir, absolute);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return { uri: pathToFileURL(absolute).href };
  }
  return { uri: inside.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** `baseDir` (absolute): the folder result paths are relative to — the repository root in CI. */
export function toSarif(problems: readonly Problem[], version: string, baseDir: string): object {
  return sarifLog(version, baseDir, problems.map(sarifResult(baseDir)));
}

/** The SARIF log with `results` as its one run's results (any value: the CLI streams them in its place). */
export function sarifLog(version: string, baseDir: string, results: unknown): object {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'netpol-lens',
            version,
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.code.replace(/^netpol\./, ''),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: {
                text: `${r.description}

Bad:
${r.bad}
Good:
${r.good}`,
              },
              defaultConfiguration:
                r.defaultSeverity === 'off' ? { enabled: false } : { level: LEVELS[r.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: folderUri(baseDir) } },
        results,
      },
    ],
  };
}

/** A problem as a SARIF result, its path relative to `baseDir`. */
export function sarifResult(baseDir: string): (p: Problem) => object {
  const ruleIndex = new Map(RULES.map((r, i) => [r.code, i]));
  return (p) => ({
    ruleId: p.code,
    ...(ruleIndex.has(p.code) ? { ruleIndex: ruleIndex.get(p.code) } : {}),
    level: LEVELS[p.severity],
    message: { text: displayText(p.message) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(p.uri, baseDir),
          region: {
            startLine: p.range.start.line + 1,
            startColumn: p.range.start.character + 1,
            endLine: p.range.end.line + 1,
            endColumn: p.range.end.character + 1,
          },
        },
      },
    ],
  });
}

/** A folder's file URI ends with a slash, so relative URIs resolve inside it. */
function folderUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : href + '/';
}
