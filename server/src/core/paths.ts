// How a message names another file: relative to the folder that holds every file of the workspace, so
// that `a/pol.yaml` and `b/pol.yaml` are told apart (a bare file name would name both), and the same on
// every checkout (never an absolute path).

/** The folder uri (ending in `/`) that holds every one of the uris; '' when they share none. */
export function commonFolder(uris: Iterable<string>): string {
  let common: string | undefined;
  for (const uri of uris) {
    const folder = uri.slice(0, uri.lastIndexOf('/') + 1);
    if (common === undefined) common = folder;
    while (!folder.startsWith(common))
      common = common.slice(0, common.lastIndexOf('/', common.length - 2) + 1);
  }
  return common ?? '';
}

/** `uri` as a path under `folder` (percent-escapes decoded), or the whole uri when it is not under it. */
export function pathUnder(folder: string, uri: string): string {
  const rest = folder && uri.startsWith(folder) ? uri.slice(folder.length) : uri;
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

/** Files of an analysis, whose folder {@link workspaceFolder} names. */
interface WithFiles {
  files: readonly { uri: string }[];
}

const FOLDERS = new WeakMap<WithFiles, string>();

/** The folder holding every file of an analysis: where messages name files from (computed once per analysis). */
export function workspaceFolder(analysis: WithFiles): string {
  let folder = FOLDERS.get(analysis);
  if (folder === undefined) FOLDERS.set(analysis, (folder = commonFolder(analysis.files.map((f) => f.uri))));
  return folder;
}

/** `uri:line:column` as a message names a place: the file under `folder` (the uri as given when none). */
export function placeUnder(folder: string, uri: string, position: string): string {
  return `${folder ? pathUnder(folder, uri) : uri}:${position}`;
}
