// Writes docs/diagnostics.md from the diagnostic rules (`npm run docs`).
import { writeFileSync } from 'node:fs';
import { renderDiagnosticsDoc } from '../server/src/core/index';

writeFileSync('docs/diagnostics.md', renderDiagnosticsDoc());
console.log('wrote docs/diagnostics.md');
