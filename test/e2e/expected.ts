// What the editor should show, computed by the engine itself (the built CLI and the analysis core) on
// the same files, so the e2e tests check the editor against the engine rather than hard-coded counts.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../../scripts/code-server.mjs';
import { createLanguageService, type LanguageService } from '../../server/src/core/index';
import type { PanelProblem } from './workbench';

interface CliProblem {
  uri: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

// The Problems panel's words for each severity; it does not list hints.
const PANEL_SEVERITY: Record<string, string | undefined> = {
  error: 'Error',
  warning: 'Warning',
  information: 'Info',
};

/** `netpol-lens check --format json` on the workspace, as the Problems panel should list it. */
export function expectedProblems(workspace: string): PanelProblem[] {
  const out = execFileSync(
    process.execPath,
    [join(ROOT, 'dist/cli.js'), 'check', '.', '--format', 'json', '--fail-on', 'never'],
    { cwd: workspace, encoding: 'utf8' },
  );
  return (JSON.parse(out) as CliProblem[]).flatMap((p) => {
    const severity = PANEL_SEVERITY[p.severity];
    return severity ? [{ file: p.uri, severity, message: p.message, line: p.line, column: p.column }] : [];
  });
}

export function sortProblems(problems: PanelProblem[]): PanelProblem[] {
  const key = (p: PanelProblem) => `${p.file}\0${String(p.line).padStart(6, '0')}\0${p.column}\0${p.message}`;
  return [...problems].sort((a, b) => key(a).localeCompare(key(b)));
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The workspace as the language server sees it: every YAML file under its file:// URI. */
export function workspaceService(workspace: string): LanguageService {
  const service = createLanguageService();
  for (const file of yamlFiles(workspace))
    service.setFile(pathToFileURL(file).href, readFileSync(file, 'utf8'));
  return service;
}

/** Offset of a 1-based line and column in `text`. */
export function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  return lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
}

/** The 1-based line and column where `needle` first occurs at or after line `fromLine`. */
export function positionOf(text: string, needle: string, fromLine = 1): [number, number] {
  const lines = text.split('\n');
  for (let i = fromLine - 1; i < lines.length; i++) {
    const col = lines[i].indexOf(needle);
    if (col >= 0) return [i + 1, col + 1];
  }
  throw new Error(`"${needle}" not found`);
}

/** Markdown to the text a person reads in the rendered hover, one entry per non-empty line. */
export function readableLines(markdown: string): string[] {
  return markdown
    .split('\n')
    .map((line) =>
      line
        .replace(/\[((?:\\.|[^\]\\])*)\]\([^)]*\)/g, '$1') // links keep their text
        .replace(/^\s*(?:[-*+]|\d+\.)\s+/, '') // list markers
        .replace(/^#+\s*/, '') // headings
        .replace(/\*\*|__|`/g, '') // strong and code marks
        .replace(/(^|[^\w\\])_(\S(?:.*?\S)?)_(?!\w)/g, '$1$2') // _emphasis_
        .replace(/\\([!-/:-@[-`{-~])/g, '$1') // markdown escapes (any ASCII punctuation)
        .replace(/&nbsp;/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((line) => line.length > 0 && !/^-{3,}$/.test(line));
}

/** The hover the core computes at a 1-based position of a workspace file, as readable lines. */
export function expectedHover(
  workspace: string,
  relativeFile: string,
  line: number,
  column: number,
): string[] {
  const service = workspaceService(workspace);
  const uri = pathToFileURL(join(workspace, relativeFile)).href;
  const text = service.text(uri)!;
  const found = service.hover(uri, offsetOf(text, line, column));
  if (!found) throw new Error(`the core has no hover at ${relativeFile}:${line}:${column}`);
  return readableLines(found.contents);
}

/**
 * The comparison diagnostics (`netpol.reachability-changed`) the editor should show while the base
 * (`label`, e.g. HEAD) holds the workspace as it is on disk and `relativeFile` is edited to `text`.
 */
export function expectedComparison(
  workspace: string,
  relativeFile: string,
  text: string,
  label = 'HEAD',
): PanelProblem[] {
  const service = workspaceService(workspace);
  const files = yamlFiles(workspace).map((f) => ({
    uri: pathToFileURL(f).href,
    text: readFileSync(f, 'utf8'),
  }));
  service.setComparisonBase({ label, files });
  service.setFile(pathToFileURL(join(workspace, relativeFile)).href, text);
  return service
    .allDiagnostics()
    .filter((p) => p.code === 'netpol.reachability-changed')
    .map((p) => ({
      file: relativeTo(workspace, p.uri),
      severity: PANEL_SEVERITY[p.severity]!,
      message: p.message,
      line: p.range.start.line + 1,
      column: p.range.start.character + 1,
    }));
}

export function relativeTo(workspace: string, uri: string): string {
  return relative(workspace, new URL(uri).pathname);
}

/**
 * The core's quick-fix for the first `code` diagnostic of a file whose title starts with
 * `titleStart`: its exact title and the file's text once it is applied.
 */
export function expectedFix(
  workspace: string,
  relativeFile: string,
  code: string,
  titleStart: string,
): { title: string; line: number; column: number; before: string; after: string } {
  const service = workspaceService(workspace);
  const uri = pathToFileURL(join(workspace, relativeFile)).href;
  const problem = service.diagnostics(uri).find((p) => p.code === code);
  if (!problem) throw new Error(`the core reports no ${code} in ${relativeFile}`);
  const found = service.codeActions(uri, problem.range).find(({ fix }) => fix.title.startsWith(titleStart));
  if (!found) throw new Error(`the core offers no fix "${titleStart}…" for ${code} in ${relativeFile}`);
  const before = service.text(uri)!;
  const edits = found.fix.edits
    .filter((e) => e.uri === uri)
    .sort((a, b) => b.range.start.offset - a.range.start.offset);
  const after = edits.reduce(
    (text, e) => text.slice(0, e.range.start.offset) + e.newText + text.slice(e.range.end.offset),
    before,
  );
  const { line, character } = problem.range.start;
  return { title: found.fix.title, line: line + 1, column: character + 1, before, after };
}

export interface GraphShape {
  /** Workload and external-range node ids, sorted. */
  nodes: string[];
  /** `src -> dst` per allowed connection, sorted. */
  edges: string[];
}

/**
 * The reachability graph the webview should draw for `netpol-lens reach -o json` on the workspace:
 * every workload, the external ranges that take part in a connection, one edge per allowed pair.
 */
export function expectedGraph(workspace: string): GraphShape {
  const out = execFileSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'reach', '.', '-o', 'json', '-q'], {
    cwd: workspace,
    encoding: 'utf8',
  });
  const reach = JSON.parse(out) as {
    peers: { id: string; type: 'pod' | 'external' }[];
    connections: { src: string; dst: string }[];
  };
  const connected = new Set(reach.connections.flatMap((c) => [c.src, c.dst]));
  return {
    nodes: reach.peers
      .filter((p) => p.type === 'pod' || connected.has(p.id))
      .map((p) => p.id)
      .sort(),
    edges: reach.connections.map((c) => `${c.src} -> ${c.dst}`).sort(),
  };
}
