import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// The analysis core must stay pure so it can run in a browser worker: no editor APIs, no Node built-ins.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The analysis core must not use Node built-ins.',
            })),
            { name: 'vscode', message: 'The analysis core must not depend on the editor.' },
            {
              name: 'vscode-languageserver',
              message: 'The analysis core must not depend on the LSP server.',
            },
            {
              name: 'vscode-languageserver/node',
              message: 'The analysis core must not depend on the LSP server.',
            },
            {
              name: 'vscode-languageclient',
              message: 'The analysis core must not depend on the LSP client.',
            },
            {
              name: 'vscode-languageclient/node',
              message: 'The analysis core must not depend on the LSP client.',
            },
          ],
          patterns: [
            { group: ['../cli/*', '../*.ts', '../server*'], message: 'The core must not import adapters.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'require', '__dirname', 'Buffer'],
    },
  },
);
