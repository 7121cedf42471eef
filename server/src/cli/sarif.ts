// SARIF 2.1.0, the format code-scanning tools accept.
import { displayText, RULES, type Problem, type Severity } from '../core/index';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

export function toSarif(problems: readonly Problem[], version: string): object {
  const ruleIndex = new Map(RULES.map((r, i) => [r.code, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'netpol-lens',
            version,
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.code.replace(/^netpol\./, ''),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: {
                text: `${r.description}

Bad:
${r.bad}
Good:
${r.good}`,
              },
              defaultConfiguration:
                r.defaultSeverity === 'off' ? { enabled: false } : { level: LEVELS[r.defaultSeverity] },
            })),
          },
        },
        results: problems.map((p) => ({
          ruleId: p.code,
          ...(ruleIndex.has(p.code) ? { ruleIndex: ruleIndex.get(p.code) } : {}),
          level: LEVELS[p.severity],
          message: { text: displayText(p.message) },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: p.uri.replace(/\\/g, '/') },
                region: {
                  startLine: p.range.start.line + 1,
                  startColumn: p.range.start.character + 1,
                  endLine: p.range.end.line + 1,
                  endColumn: p.range.end.character + 1,
                },
              },
            },
          ],
        })),
      },
    ],
  };
}
