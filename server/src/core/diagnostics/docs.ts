// Renders docs/diagnostics.md from the rules themselves, so the documentation cannot drift.
import { RULES } from './index';

const SEVERITY_WORDS: Record<string, string> = {
  error: 'Error',
  warning: 'Warning',
  information: 'Information',
  hint: 'Hint',
  off: 'Off by default',
};

/** The anchor of a code's section in docs/diagnostics.md (`netpol.dns-egress-missing` → `netpoldns-egress-missing`). */
export function diagnosticAnchor(code: string): string {
  return code.replace(/[^a-z0-9-]/g, '');
}

export function renderDiagnosticsDoc(): string {
  const lines = [
    '# Diagnostics',
    '',
    '<!-- Generated from server/src/core/diagnostics by `npm run docs`; edit the rules, not this file. -->',
    '',
    'Every diagnostic has a stable code. Severities can be changed per code with the',
    '`netpolLens.severity` setting (for example `{ "netpol.no-default-deny": "information" }`;',
    '`"off"` silences a code) and with `netpol-lens check --severity CODE=LEVEL`.',
    '',
    '| code | default | what |',
    '| --- | --- | --- |',
    ...RULES.map(
      (r) =>
        `| [\`${r.code}\`](#${diagnosticAnchor(r.code)}) | ${SEVERITY_WORDS[r.defaultSeverity]} | ${r.title} |`,
    ),
    '',
  ];
  for (const rule of RULES) {
    lines.push(
      `## ${rule.code}`,
      '',
      `**${rule.title}.** Default severity: ${SEVERITY_WORDS[rule.defaultSeverity]}.`,
      '',
      rule.description,
      '',
      ...(rule.exampleBase ? ['Base:', '', '```yaml', rule.exampleBase.trimEnd(), '```', ''] : []),
      'Bad:',
      '',
      '```yaml',
      // Control characters are shown as their Unicode pictures (U+2400…), never written raw.
      rule.bad.trimEnd().split('\u0000').join('\u2400'),
      '```',
      '',
      'Good:',
      '',
      '```yaml',
      rule.good.trimEnd(),
      '```',
      '',
    );
  }
  return lines.join('\n');
}
