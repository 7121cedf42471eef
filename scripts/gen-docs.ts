// Writes docs/diagnostics.md from the diagnostic rules (`npm run docs`).
import { writeFileSync } from 'node:fs';
import { DIAGNOSTICS_DOC, diagnosticsDoc } from './diagnostics-doc';

void diagnosticsDoc().then((text) => {
  writeFileSync(DIAGNOSTICS_DOC, text);
  console.log(`wrote ${DIAGNOSTICS_DOC}`);
});
