// Colours of the graph from VS Code's theme variables, so it reads in light, dark and high contrast.
// Cytoscape draws on a canvas and cannot use CSS variables itself: they are resolved here, again on
// every theme change.
import type { StylesheetJson } from 'cytoscape';

export interface ThemeColors {
  foreground: string;
  background: string;
  muted: string;
  border: string;
  namespaceFill: string;
  pod: string;
  implicit: string;
  inferred: string;
  external: string;
  allowed: string;
  all: string;
  denied: string;
  /** Labels of edges that a cluster-scoped tier decides. */
  adminTier: string;
  baselineTier: string;
  focus: string;
  font: string;
  highContrast: boolean;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value || fallback;
}

export function readTheme(root: HTMLElement = document.documentElement): ThemeColors {
  const style = getComputedStyle(root);
  const body = document.body;
  const highContrast =
    body.classList.contains('vscode-high-contrast') || body.classList.contains('vscode-high-contrast-light');
  const dark = body.classList.contains('vscode-dark') || body.classList.contains('vscode-high-contrast');
  const foreground = cssVar(style, '--vscode-editor-foreground', dark ? '#cccccc' : '#333333');
  const contrastBorder = cssVar(style, '--vscode-contrastBorder', '');
  return {
    foreground,
    background: cssVar(style, '--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    muted: cssVar(style, '--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171'),
    border: contrastBorder || cssVar(style, '--vscode-panel-border', dark ? '#555555' : '#c8c8c8'),
    namespaceFill: cssVar(style, '--vscode-sideBar-background', dark ? '#252526' : '#f3f3f3'),
    pod: cssVar(style, '--vscode-charts-blue', dark ? '#3794ff' : '#1a85ff'),
    implicit: cssVar(style, '--vscode-charts-purple', dark ? '#b180d7' : '#652d90'),
    inferred: cssVar(style, '--vscode-charts-yellow', dark ? '#cca700' : '#bf8803'),
    external: cssVar(style, '--vscode-charts-orange', dark ? '#d18616' : '#d18616'),
    allowed: cssVar(style, '--vscode-charts-green', dark ? '#89d185' : '#388a34'),
    all: cssVar(style, '--vscode-charts-green', dark ? '#89d185' : '#388a34'),
    denied: cssVar(style, '--vscode-charts-red', dark ? '#f14c4c' : '#e51400'),
    adminTier: cssVar(style, '--vscode-charts-purple', dark ? '#b180d7' : '#652d90'),
    baselineTier: cssVar(style, '--vscode-charts-orange', dark ? '#d18616' : '#d18616'),
    focus: contrastBorder || cssVar(style, '--vscode-focusBorder', '#007fd4'),
    font: cssVar(style, '--vscode-font-family', 'sans-serif'),
    highContrast,
  };
}

/** `edgeFontSize`: the edge labels' size, read again whenever an edge is styled (layouts.ts labelSizing). */
export function graphStyle(c: ThemeColors, edgeFontSize: () => number = () => 10): StylesheetJson {
  const borderWidth = c.highContrast ? 2 : 1;
  return [
    {
      selector: 'node',
      style: {
        label: 'data(label)',
        color: c.foreground,
        'font-family': c.font,
        'font-size': 12,
        'text-valign': 'center',
        'text-halign': 'center',
        'text-wrap': 'wrap',
        'text-max-width': '220px',
        shape: 'round-rectangle',
        width: 'label',
        height: 28,
        'padding-left': '10px',
        'padding-right': '10px',
        'background-color': c.background,
        'border-width': 2,
        'border-color': c.pod,
      },
    },
    { selector: 'node.implicit', style: { 'border-style': 'dotted', 'border-color': c.implicit } },
    { selector: 'node.inferred', style: { 'border-style': 'dashed', 'border-color': c.inferred } },
    {
      selector: 'node.external',
      style: { shape: 'ellipse', 'border-color': c.external, 'border-style': 'dashed', height: 32 },
    },
    {
      selector: ':parent',
      style: {
        shape: 'round-rectangle',
        'background-color': c.namespaceFill,
        'background-opacity': c.highContrast ? 0 : 0.6,
        'border-width': borderWidth,
        'border-color': c.border,
        'border-style': 'solid',
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-y': -4,
        'font-weight': 'bold',
        color: c.muted,
        padding: '14px',
      },
    },
    {
      // A collapsed namespace: its name, workload count and isolation, in a box like an expanded one.
      selector: 'node.namespace-summary',
      style: {
        shape: 'round-rectangle',
        'background-color': c.namespaceFill,
        'border-width': borderWidth + 1,
        'border-color': c.border,
        'text-wrap': 'wrap',
        'text-max-width': '240px',
        'line-height': 1.3,
        width: 'label',
        height: 'label',
        'padding-left': '12px',
        'padding-right': '12px',
        'padding-top': '8px',
        'padding-bottom': '8px',
        'font-weight': 'bold',
      },
    },
    { selector: 'node.external.as-written', style: { 'border-style': 'solid' } },
    {
      selector: 'edge',
      style: {
        label: 'data(label)',
        color: c.foreground,
        'font-family': c.font,
        'font-size': edgeFontSize,
        'text-background-color': c.background,
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
        'text-rotation': 'autorotate',
        'curve-style': 'bezier',
        width: 1.5,
        'line-color': c.allowed,
        'target-arrow-color': c.allowed,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 1,
      },
    },
    // A label that would cover a node or another label (layouts.ts), or too small to read at this zoom
    // (layouts.ts labelSizing): shown on hover only.
    { selector: 'edge.label-hidden, edge.zoomed-out', style: { 'text-opacity': 0 } },
    { selector: 'edge.all', style: { width: 4, 'line-color': c.all, 'target-arrow-color': c.all } },
    { selector: 'edge.aggregate', style: { width: 2.5 } },
    {
      selector: 'edge.denied',
      style: {
        'line-style': 'dashed',
        'line-color': c.denied,
        'target-arrow-color': c.denied,
        'target-arrow-shape': 'tee',
        color: c.denied,
      },
    },
    // Decided by a cluster-scoped tier (the label names it): Admin bold, Baseline italic, each its colour.
    { selector: 'edge.tier-admin', style: { color: c.adminTier, 'font-weight': 'bold' } },
    { selector: 'edge.tier-baseline', style: { color: c.baselineTier, 'font-style': 'italic' } },
    // Diff mode (Compare Reachability with…): added edges thick, removed ones dashed, changed ones apart.
    { selector: 'edge.added', style: { width: 4, 'line-color': c.allowed, 'target-arrow-color': c.allowed } },
    {
      selector: 'edge.removed',
      style: {
        'line-style': 'dashed',
        'line-color': c.denied,
        'target-arrow-color': c.denied,
        color: c.denied,
      },
    },
    {
      selector: 'edge.changed',
      style: { width: 3, 'line-color': c.inferred, 'target-arrow-color': c.inferred },
    },
    { selector: 'node.removed', style: { 'border-style': 'dashed', 'border-color': c.denied, opacity: 0.8 } },
    { selector: 'node.added', style: { 'border-width': 4 } },
    { selector: '.faded', style: { opacity: 0.15 } },
    { selector: 'node.reaches, node.reached', style: { 'border-width': 3 } },
    { selector: 'edge.outgoing', style: { 'line-color': c.focus, 'target-arrow-color': c.focus } },
    { selector: 'edge.incoming', style: { 'line-color': c.pod, 'target-arrow-color': c.pod } },
    {
      selector: ':selected',
      style: {
        'overlay-color': c.focus,
        'overlay-opacity': 0.25,
        'overlay-padding': 4,
        'border-color': c.focus,
      },
    },
  ];
}
