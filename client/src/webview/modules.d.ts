// Cytoscape extensions without bundled type definitions.
declare module 'cytoscape-elk' {
  const register: cytoscape.Ext;
  export default register;
}

declare module 'cytoscape-svg' {
  const register: cytoscape.Ext;
  export default register;
}

// esbuild bundles imported stylesheets into dist/webview.css.
declare module '*.css';
