// dist/server.js: starts the language server's bundle (dist/server-main.js) from its code cache
// (code-cache.ts).
import { join } from 'node:path';
import { runBundle } from './code-cache';

runBundle(join(__dirname, 'server-main.js'), module, require);
