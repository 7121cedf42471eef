// dist/cli.js: starts the CLI's bundle (dist/cli-main.js) from its code cache (code-cache.ts).
import { join } from 'node:path';
import { runBundle } from './code-cache';

runBundle(join(__dirname, 'cli-main.js'), module, require);
