import js from '@eslint/js';
import tseslint from 'typescript-eslint';
// The architecture fences (the core stays pure; others use its door) live in scripts/eslint-fences.mjs.
import { fences } from './scripts/eslint-fences.mjs';

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
  { plugins: { fences } },
  {
    // Hosts, adapters, the client, scripts and tests reach the core through its door (core/index.ts).
    files: ['**/*.ts', '**/*.mts', '**/*.mjs'],
    ignores: [
      'server/src/core/**',
      // Documented exceptions: unit tests of one internal algorithm of the core (CIDR arithmetic,
      // connection sets, selector matching, the schema's error messages, the relevance pre-filter, the work counts of the
      // large-file stages, the rebuilt sections of large files) test that module directly, and the benchmarks time the pipeline's stages one by one. Everything else
      // goes through the door.
      'test/unit/addresses.test.ts',
      'test/unit/connections.test.ts',
      'test/unit/selectors.test.ts',
      'test/unit/diagnostics-schema.test.ts',
      'test/unit/prefilter.test.ts',
      'test/unit/fast-read.test.ts',
      'test/unit/scaling.test.ts',
      'test/unit/scaling-selections.test.ts',
      'test/unit/scaling-engine.test.ts',
      'test/unit/scaling-services.test.ts',
      'test/unit/rebuilt-documents.test.ts',
      // What a large file's analysis keeps (its ranges are core/text.ts's TextRange).
      'test/unit/memory-kept.test.ts',
      // The validator generator compiles the NetworkPolicy schema with the options the core uses.
      'scripts/validator-source.ts',
      'bench/**',
    ],
    rules: { 'fences/core-door': 'error' },
  },
  {
    files: ['server/src/**/*.ts', 'client/src/**/*.ts'],
    rules: { 'fences/codes-home': 'error' },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'fences/core-purity': 'error',
      'no-restricted-globals': ['error', 'process', 'require', '__dirname', 'Buffer'],
    },
  },
);
