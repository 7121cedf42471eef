// User settings (`netpolLens.*` in VS Code). The defaults here and in package.json's
// contributes.configuration are kept in step by a test. They are two kinds kept apart: the analysis
// options (what the engine computes with; they appear in its outputs) and the editor settings (how the
// editor shows and schedules it), which never reach the engine.
import { CODES } from './codes';
import type { SeveritySetting } from './diagnostics/rule';
import { DEFAULT_OPTIONS, type AnalysisOptions } from './types';

/** Settings of the editor alone: how diagnostics are reported and when the workspace is analysed. */
export interface EditorSettings {
  /** Severity per diagnostic code; 'off' silences a code. */
  severity: Record<string, SeveritySetting>;
  /** Globs of workspace files to leave out (node_modules and .git are always left out). */
  exclude: string[];
  /** Workspace files larger than this (in MB) are not read; each is reported. */
  maxFileSizeMB: number;
  /** Delay between the last edit and re-analysis, in milliseconds. */
  debounceMs: number;
  /**
   * Schema diagnostics (netpol.schema): 'off' leaves them to another validator such as Red Hat's YAML
   * extension. The server treats 'auto' as 'on'; the VS Code client resolves 'auto' itself.
   */
  schemaValidation: 'auto' | 'on' | 'off';
  /**
   * What the workspace is compared with: a git revision (default `HEAD`), or a folder (absolute, or
   * relative to the first workspace folder); empty: no comparison.
   */
  compareWith: string;
}

/** Every `netpolLens.*` setting the server reads: the analysis options and the editor settings. */
export interface Settings extends AnalysisOptions, EditorSettings {}

/** The analysis options within the settings, and nothing else (see {@link EditorSettings}). */
export function analysisOptions(settings: Settings): AnalysisOptions {
  return {
    defaultNamespace: settings.defaultNamespace,
    implicitDns: settings.implicitDns,
    inferPods: settings.inferPods,
    ipBlockMatchesPods: settings.ipBlockMatchesPods,
    podCIDRs: settings.podCIDRs,
  };
}

export const DEFAULT_SETTINGS: Settings = {
  ...DEFAULT_OPTIONS,
  severity: {},
  exclude: [],
  maxFileSizeMB: 50,
  debounceMs: 100,
  schemaValidation: 'auto',
  compareWith: 'HEAD',
};

const SEVERITY_VALUES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Merges a partial, untrusted settings object (from the client) over the defaults. */
export function resolveSettings(input: unknown): Settings {
  const raw = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const pick = <K extends keyof Settings>(key: K, valid: (v: unknown) => boolean): Settings[K] =>
    valid(raw[key]) ? (raw[key] as Settings[K]) : DEFAULT_SETTINGS[key];
  const isStringArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const severity: Record<string, SeveritySetting> = {};
  if (raw.severity && typeof raw.severity === 'object') {
    for (const [code, value] of Object.entries(raw.severity as Record<string, unknown>)) {
      if (typeof value === 'string' && SEVERITY_VALUES.has(value)) severity[code] = value as SeveritySetting;
    }
  }
  const schemaValidation = pick('schemaValidation', (v) => v === 'auto' || v === 'on' || v === 'off');
  if (schemaValidation === 'off') severity[CODES.schema] = 'off';
  return {
    defaultNamespace: pick('defaultNamespace', (v) => typeof v === 'string' && v.length > 0),
    implicitDns: pick('implicitDns', (v) => typeof v === 'boolean'),
    inferPods: pick('inferPods', (v) => typeof v === 'boolean'),
    ipBlockMatchesPods: pick('ipBlockMatchesPods', (v) => typeof v === 'boolean'),
    podCIDRs: pick('podCIDRs', isStringArray),
    exclude: pick('exclude', isStringArray),
    maxFileSizeMB: pick('maxFileSizeMB', (v) => typeof v === 'number' && v > 0),
    debounceMs: pick('debounceMs', (v) => typeof v === 'number' && v >= 0 && v <= 5000),
    schemaValidation,
    compareWith: pick('compareWith', (v) => typeof v === 'string').trim(),
    severity,
  };
}
