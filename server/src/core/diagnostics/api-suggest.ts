// Repaired spellings of rejected names, offered in problem `data` for quick-fixes. A suggestion is only
// returned when it passes the same validator, so a fix can never write another invalid value.
import { dns1123Label, dns1123Subdomain, labelValue, portName, qualifiedName } from './api-validation';

function valid(candidate: string, validator: (v: string) => string[], original: string): string | undefined {
  return candidate !== '' && candidate !== original && validator(candidate).length === 0
    ? candidate
    : undefined;
}

/** Trims characters that may not start or end a name, and cuts to `max` characters. */
function tidy(value: string, edge: RegExp, max: number): string {
  const trim = (s: string) => s.replace(new RegExp(`^${edge.source}+|${edge.source}+$`, 'g'), '');
  return trim(trim(value).slice(0, max));
}

function dnsLabelText(value: string, max: number): string {
  return tidy(value.toLowerCase().replace(/[^a-z0-9-]+/g, '-'), /[^a-z0-9]/, max);
}

export function suggestDns1123Label(value: string): string | undefined {
  return valid(dnsLabelText(value, 63), dns1123Label, value);
}

export function suggestDns1123Subdomain(value: string): string | undefined {
  const parts = value
    .split('.')
    .map((p) => dnsLabelText(p, 63))
    .filter(Boolean);
  return valid(tidy(parts.join('.'), /[^a-z0-9]/, 253), dns1123Subdomain, value);
}

function labelText(value: string): string {
  return tidy(value.replace(/[^A-Za-z0-9_.-]+/g, '-'), /[^A-Za-z0-9]/, 63);
}

export function suggestLabelValue(value: string): string | undefined {
  return valid(labelText(value), labelValue, value);
}

export function suggestLabelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = labelText(key.slice(slash + 1));
  if (slash === -1) return valid(name, qualifiedName, key);
  const prefix = suggestDns1123Subdomain(key.slice(0, slash)) ?? key.slice(0, slash);
  return valid(`${prefix}/${name}`, qualifiedName, key);
}

export function suggestPortName(port: string): string | undefined {
  const text = port.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return valid(tidy(text, /-/, 15), portName, port);
}

/** The supported spelling that differs only in case (`tcp` → `TCP`, `notin` → `NotIn`). */
export function caseFix(value: string, supported: readonly string[]): string | undefined {
  return supported.find((s) => s !== value && s.toLowerCase() === value.toLowerCase());
}
