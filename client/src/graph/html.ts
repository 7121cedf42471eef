// The graph webview's page. Static markup only: the graph arrives later by postMessage, so no
// workspace text (labels, names) ever reaches this HTML. Pure (no vscode import) so the headless
// browser test loads the very same page.

export interface GraphPageOptions {
  /** `webview.cspSource`: the origin of the bundle folder. */
  cspSource: string;
  /** A fresh random value per page load, from `crypto`. */
  nonce: string;
  /** Scripts to load, in order (the webview bundle last). */
  scripts: string[];
  styles: string[];
}

/** Escapes text for a double-quoted HTML attribute value or a text node. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function renderGraphPage(options: GraphPageOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(options.nonce)) throw new Error('the nonce must be random base64 text');
  const nonce = escapeHtml(options.nonce);
  const csp = escapeHtml(contentSecurityPolicy(options.cspSource, options.nonce));
  const styles = options.styles
    .map((href) => `<link rel="stylesheet" nonce="${nonce}" href="${escapeHtml(href)}">`)
    .join('\n    ');
  const scripts = options.scripts
    .map((src) => `<script nonce="${nonce}" src="${escapeHtml(src)}"></script>`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>Reachability Graph</title>
  </head>
  <body>
    <header id="toolbar" role="toolbar" aria-label="Graph controls">
      <details id="namespace-filter">
        <summary>Namespaces</summary>
        <div id="namespace-list" role="group" aria-label="Namespaces to show"></div>
      </details>
      <label>Port <input id="port-filter" type="text" size="9" placeholder="e.g. 80/TCP" spellcheck="false"></label>
      <span id="port-error" class="error" role="alert"></span>
      <label><input id="show-denied" type="checkbox"> Denied pairs</label>
      <label>Focus <input id="search" type="search" list="workload-names" size="22" placeholder="workload name" spellcheck="false" aria-label="Focus on a workload"></label>
      <datalist id="workload-names"></datalist>
      <button id="clear-focus" type="button" title="Leave the focus: show every namespace">Show all</button>
      <button id="collapse-all" type="button" title="One node per namespace">Overview</button>
      <span id="search-error" class="error" role="alert"></span>
      <span class="spacer"></span>
      <button id="zoom-in" type="button" title="Zoom in" aria-label="Zoom in">+</button>
      <button id="zoom-out" type="button" title="Zoom out" aria-label="Zoom out">&minus;</button>
      <button id="fit" type="button" title="Fit the graph to the view">Fit</button>
      <button id="relayout" type="button" title="Lay the graph out again">Layout</button>
      <button id="export-svg" type="button" title="Save the graph as SVG">SVG</button>
      <button id="export-png" type="button" title="Save the graph as PNG">PNG</button>
    </header>
    <p id="notice" role="note" hidden></p>
    <main>
      <div id="graph" aria-label="Reachability graph"></div>
      <aside id="details" aria-live="polite" hidden></aside>
    </main>
    <footer id="legend" aria-label="Legend">
      <details id="legend-entries" open>
        <summary>Legend</summary>
        <span><i class="swatch pod"></i>workload</span>
        <span><i class="swatch implicit"></i>implicit (cluster DNS)</span>
        <span><i class="swatch inferred"></i>inferred pod</span>
        <span><i class="swatch external"></i>external addresses</span>
        <span><i class="swatch namespace"></i>namespace (double-click: expand or collapse)</span>
        <span><i class="line allowed"></i>allowed (ports)</span>
        <span><i class="line all"></i>all connections</span>
        <span><i class="line denied"></i>denied</span>
        <span><span class="tier admin">Admin: …</span> / <span class="tier baseline">Baseline: …</span> decided by a cluster policy tier</span>
        <span class="diff-legend"><i class="line added"></i>added · <i class="line removed"></i>removed · <i class="line changed"></i>changed (diff)</span>
      </details>
      <span id="status" role="status"></span>
    </footer>
    <ul id="graph-elements" hidden></ul>
    ${scripts}
  </body>
</html>
`;
}
