// Two architecture fences as ESLint rules (eslint.config.mjs turns them on):
// - `core-purity`: a file of the analysis core (server/src/core) imports only other core files and
//   third-party libraries: nothing outside the core (relative paths are resolved, so no `../lsp/…` and no
//   `../../protocol`), no `vscode*` package or subpath (`vscode-languageserver/lib/…`), no Node built-in.
//   The core must run in a browser worker. Only the JSON schemas of the top-level schemas/ folder (data,
//   inlined by the bundler) may be read from outside.
// - `core-door`: code outside the core imports the core only through server/src/core/index.ts, the
//   language service's documented surface, never a core internal.
// - `codes-home`: a diagnostic code ('netpol.…') is written once, in server/src/core/codes.ts; the
//   server, CLI and client name it as `CODES.…` (tests write codes out: they are independent values).
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CORE = resolve(ROOT, 'server', 'src', 'core');
const DOOR = resolve(CORE, 'index');
const BUILTINS = new Set(builtinModules);

const SCHEMAS = resolve(ROOT, 'schemas');
const insideCore = (path) => path === CORE || path.startsWith(CORE + sep);
/** The bundled JSON schemas are data, not code: the core may read them (they are inlined at build). */
const isSchemaData = (path) => path.startsWith(SCHEMAS + sep) && path.endsWith('.json');
const withoutExtension = (path) => path.replace(/\.(ts|js|mjs|cjs)$/, '');

/** Every module specifier of a file: imports, re-exports, import() and require(). */
function onSpecifiers(check) {
  const literal = (node) => node && node.type === 'Literal' && typeof node.value === 'string' && node;
  return {
    ImportDeclaration: (node) => check(node.source),
    ExportNamedDeclaration: (node) => node.source && check(node.source),
    ExportAllDeclaration: (node) => check(node.source),
    ImportExpression: (node) => literal(node.source) && check(node.source),
    CallExpression(node) {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require' && literal(node.arguments[0]))
        check(node.arguments[0]);
    },
  };
}

function isBuiltin(specifier) {
  return specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0]);
}

const corePurity = {
  meta: {
    type: 'problem',
    docs: {
      description: 'the analysis core imports nothing outside itself, no editor API, no Node built-in',
    },
    schema: [],
  },
  create(context) {
    const from = dirname(context.filename);
    return onSpecifiers((source) => {
      const specifier = source.value;
      let reason;
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = resolve(from, specifier);
        if (!insideCore(target) && !isSchemaData(target))
          reason = `it is outside server/src/core (${relative(ROOT, target)})`;
      } else if (/^vscode/.test(specifier)) {
        reason = 'the core must not depend on the editor or the LSP libraries';
      } else if (isBuiltin(specifier)) {
        reason = 'the core must not use Node built-ins (it runs in a browser worker too)';
      }
      if (reason)
        context.report({
          node: source,
          message: `The analysis core must not import '${specifier}': ${reason}.`,
        });
    });
  },
};

const coreDoor = {
  meta: {
    type: 'problem',
    docs: { description: 'outside the core, import the core only through server/src/core/index.ts' },
    schema: [],
  },
  create(context) {
    const from = dirname(context.filename);
    if (insideCore(resolve(context.filename))) return {};
    return onSpecifiers((source) => {
      const specifier = source.value;
      if (!specifier.startsWith('.')) return;
      const target = withoutExtension(resolve(from, specifier));
      if (insideCore(target) && target !== DOOR && target !== CORE) {
        context.report({
          node: source,
          message: `Import '${specifier}' through server/src/core/index.ts (the language service), not a core internal.`,
        });
      }
    });
  },
};

const CODES_HOME = resolve(CORE, 'codes.ts');
const CODE_LITERAL = /^netpol\.[a-z][a-z0-9-]*$/;

/** Diagnostic codes are spelled once, in server/src/core/codes.ts; code elsewhere names them as CODES.…. */
const codesHome = {
  meta: {
    type: 'problem',
    docs: { description: 'diagnostic codes are written only in server/src/core/codes.ts' },
    schema: [],
  },
  create(context) {
    if (resolve(context.filename) === CODES_HOME) return {};
    return {
      Literal(node) {
        if (typeof node.value === 'string' && CODE_LITERAL.test(node.value))
          context.report({
            node,
            message: `Diagnostic code '${node.value}' is written out: use CODES from server/src/core/codes.ts.`,
          });
      },
    };
  },
};

export const fences = {
  rules: { 'core-purity': corePurity, 'core-door': coreDoor, 'codes-home': codesHome },
};
