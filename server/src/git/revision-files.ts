// Reads the manifests of PATH as of a git revision (`REV:PATH`), for the CLI's and the editor's
// comparisons. Git runs as a child process (`git cat-file`, `git ls-tree`); nothing is checked out and
// the work tree is never touched. Node adapters only: the core never reads git.
import { execFile } from 'node:child_process';
import { posix } from 'node:path';
import type { SourceFile } from '../core/index';

const EXTENSIONS = /\.(ya?ml|json)$/i;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
const SYMLINK_MODE = '120000';
/** A revision's tree can be large; git's output is held in memory up to this size. */
const MAX_OUTPUT = 512 * 1024 * 1024;

export interface RevisionFiles {
  files: SourceFile[];
  /** Files that were left out on purpose (symbolic links), said out loud. */
  notes: string[];
}

export class GitError extends Error {}

/** Splits `REV:PATH` (PATH may be empty); undefined for an argument that is not one. */
export function parseRevisionSpec(spec: string): { revision: string; path: string } | undefined {
  const match = /^([^:]+):(.*)$/s.exec(spec);
  // `C:\manifests` is a Windows path, not the revision `C`.
  if (!match || (/^[A-Za-z]$/.test(match[1]) && /^[\\/]/.test(match[2]))) return undefined;
  return { revision: match[1], path: match[2] };
}

function git(cwd: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd, encoding: 'buffer', maxBuffer: MAX_OUTPUT, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (error, stdout, stderr) => {
        if (error) {
          const message = stderr.toString('utf8').trim().split('\n')[0] || error.message;
          reject(new GitError(message));
        } else {
          resolve(stdout);
        }
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * The `.yaml`, `.yml` and `.json` files under PATH as of REVISION (PATH relative to `cwd`, like every
 * other path argument; a file or a folder), as `REV:path` uris. Throws a GitError when git cannot
 * resolve the revision or the path.
 */
export async function readRevisionFiles(
  revision: string,
  path: string,
  cwd: string,
  /** The uri of a file (path relative to PATH); default `REV:PATH/path`. */
  uriOf?: (name: string) => string,
): Promise<RevisionFiles> {
  // `REV:./PATH` makes git read PATH relative to the current folder instead of the repository's top.
  const relative = path === '' || path === '.' ? './' : /^\.\.?\//.test(path) ? path : `./${path}`;
  const object = `${revision}:${relative}`;
  const label =
    uriOf ?? ((name: string) => `${revision}:${posix.join(path || '.', name)}`.replace(/:\.\//, ':'));
  const type = (await git(cwd, ['cat-file', '-t', object])).toString('utf8').trim();
  if (type === 'blob') {
    const text = (await git(cwd, ['cat-file', 'blob', object])).toString('utf8');
    return { files: [{ uri: `${revision}:${path}`, text }], notes: [] };
  }
  if (type !== 'tree') throw new GitError(`${revision}:${path} is a ${type}, not a file or folder`);
  // --full-tree: run in a subfolder, ls-tree would otherwise list only that subfolder of the tree.
  const listing = (await git(cwd, ['ls-tree', '-r', '-z', '--full-tree', object])).toString('utf8');
  const blobs: { name: string; object: string }[] = [];
  const notes: string[] = [];
  for (const entry of listing.split('\0')) {
    const match = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (!match || match[2] !== 'blob' || !EXTENSIONS.test(match[4])) continue;
    const name = match[4];
    if (name.split('/').some((part) => SKIPPED_FOLDERS.has(part))) continue;
    if (match[1] === SYMLINK_MODE) {
      notes.push(`${label(name)}: symbolic link not followed`);
      continue;
    }
    blobs.push({ name, object: match[3] });
  }
  const contents = await readBlobs(
    cwd,
    blobs.map((b) => b.object),
  );
  const files = blobs.map((b, i) => ({ uri: label(b.name), text: contents[i] }));
  return { files: files.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0)), notes };
}

/** Reads many blobs through one `git cat-file --batch`. */
async function readBlobs(cwd: string, objects: string[]): Promise<string[]> {
  if (objects.length === 0) return [];
  const output = await git(cwd, ['cat-file', '--batch'], objects.join('\n') + '\n');
  const texts: string[] = [];
  let at = 0;
  for (const object of objects) {
    const newline = output.indexOf(10, at);
    const header = output.toString('utf8', at, newline).split(' ');
    if (header[0] !== object || header[1] !== 'blob') throw new GitError(`cannot read object ${object}`);
    const size = Number(header[2]);
    texts.push(output.toString('utf8', newline + 1, newline + 1 + size));
    at = newline + 1 + size + 1;
  }
  return texts;
}

/** The commit a revision names in the repository of `cwd` (throws a GitError when there is none). */
export async function resolveCommit(revision: string, cwd: string): Promise<string> {
  return (await git(cwd, ['rev-parse', '--verify', '--end-of-options', `${revision}^{commit}`]))
    .toString('utf8')
    .trim();
}
