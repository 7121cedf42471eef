// Stands in for the VS Code webview host in the headless browser test: acquireVsCodeApi with state
// kept in sessionStorage (so a reload restores it, as VS Code does), the messages the page posts,
// CSP violations, and a theme's CSS variables and body class (?theme=light|dark|high-contrast).

interface Recorder {
  posted: unknown[];
  violations: string[];
}

const recorder: Recorder = { posted: [], violations: [] };
(window as unknown as { __harness: Recorder }).__harness = recorder;

document.addEventListener('securitypolicyviolation', (event) => {
  recorder.violations.push(
    `${event.violatedDirective}: ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`,
  );
});

const STATE_KEY = 'netpol-lens-webview-state';
(window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage(message: unknown) {
    recorder.posted.push(JSON.parse(JSON.stringify(message)));
  },
  getState() {
    const saved = sessionStorage.getItem(STATE_KEY);
    return saved ? JSON.parse(saved) : undefined;
  },
  setState(state: unknown) {
    sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
    return state;
  },
});

// A few of the variables VS Code defines, with Light+/Dark+/High Contrast values.
const THEMES: Record<string, { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-editor-background': '#ffffff',
      '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#717171',
      '--vscode-panel-border': '#e5e5e5',
      '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-red': '#e51400',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-purple': '#652d90',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-textLink-foreground': '#005fb8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-font-family': 'sans-serif',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-editor-foreground': '#cccccc',
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-panel-border': '#2b2b2b',
      '--vscode-sideBar-background': '#181818',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-textLink-foreground': '#4daafc',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-font-family': 'sans-serif',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-editor-background': '#000000',
      '--vscode-editor-foreground': '#ffffff',
      '--vscode-foreground': '#ffffff',
      '--vscode-contrastBorder': '#6fc3df',
      '--vscode-focusBorder': '#f38518',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-red': '#f14c4c',
      '--vscode-font-family': 'sans-serif',
    },
  },
};

const theme = THEMES[new URLSearchParams(location.search).get('theme') ?? 'light'] ?? THEMES.light;
// VS Code puts the variables on <html> as CSSOM properties, which the CSP allows.
for (const [name, value] of Object.entries(theme.vars))
  document.documentElement.style.setProperty(name, value);
// The page loads its scripts at the end of <body>, so the body exists already (as in VS Code).
document.body.classList.add(theme.bodyClass);
document.body.dataset.vscodeThemeKind = theme.bodyClass;
