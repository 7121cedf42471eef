// Ports of the apimachinery string validators (k8s.io/apimachinery/pkg/util/validation) and of
// field.Error's rendering, so messages read exactly as kube-apiserver writes them.

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;

const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const QNAME = new RegExp(`^${QNAME_FMT}$`);
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);

const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const QNAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

export const EMPTY_ERROR = 'must be non-empty';

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** Go's validation.RegexError, including its quirky ", " before every " or ". */
export function regexError(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  const shown = examples.map((e, i) => `${i > 0 ? ' or ' : ''}'${e}', `).join('');
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

/** Beyond plain ASCII, where UTF-8 bytes and UTF-16 units are no longer the same count. */
const NOT_ASCII = /[\u0080-\uffff]/;
const utf8 = new TextEncoder();

/** Length as Go counts it (bytes of UTF-8), which differs from JS for non-ASCII text. */
function byteLength(value: string): number {
  return NOT_ASCII.test(value) ? utf8.encode(value).length : value.length;
}

// Each validator first answers for the valid values nearly every manifest holds: its regular expression
// admits ASCII only, so the length is the byte count, and no error message is built.

export function dns1123Label(value: string): string[] {
  if (value.length <= 63 && DNS1123_LABEL.test(value)) return [];
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push(maxLenError(63));
  if (!DNS1123_LABEL.test(value)) {
    // A valid subdomain that is not a valid label can only be wrong because of its dots.
    errors.push(
      DNS1123_SUBDOMAIN.test(value)
        ? 'must not contain dots'
        : regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'),
    );
  }
  return errors;
}

export function dns1123Subdomain(value: string): string[] {
  if (value.length <= 253 && DNS1123_SUBDOMAIN.test(value)) return [];
  const errors: string[] = [];
  if (byteLength(value) > 253) errors.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errors.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errors;
}

/** A label key (and a matchExpressions key): `[prefix/]name`. */
export function qualifiedName(value: string): string[] {
  // Nearly every key is a plain name (`app`, `tier`): ASCII, so its length is its byte count, no '/'.
  if (value.length <= 63 && QNAME.test(value)) return [];
  const parts = value.split('/');
  const nameError = regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc');
  if (parts.length > 2) {
    return [
      `a qualified name ${nameError} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const errors: string[] = [];
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) errors.push(`prefix part ${EMPTY_ERROR}`);
    else errors.push(...dns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  }
  if (name.length === 0) errors.push(`name part ${EMPTY_ERROR}`);
  else if (byteLength(name) > 63) errors.push(`name part ${maxLenError(63)}`);
  if (!QNAME.test(name)) errors.push(`name part ${nameError}`);
  return errors;
}

export function labelValue(value: string): string[] {
  if (value.length <= 63 && LABEL_VALUE.test(value)) return [];
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push(maxLenError(63));
  if (!LABEL_VALUE.test(value)) {
    errors.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errors;
}

export function portNumber(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** A valid IANA_SVC_NAME but for its length and its letter: no hyphen first, last or twice in a row. */
const PORT_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** IANA_SVC_NAME, as a named port must be. */
export function portName(port: string): string[] {
  if (port.length <= 15 && PORT_NAME.test(port) && /[a-z]/.test(port)) return [];
  const errors: string[] = [];
  if (byteLength(port) > 15) errors.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) {
    errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!/[a-z]/.test(port)) errors.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errors.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) errors.push('must not begin or end with a hyphen');
  return errors;
}

// ---------------------------------------------------------------------------------------------
// field.Error rendering: `<path>: <type>[: <value>][: <detail>]`

/** Go's %q for strings and %v for numbers, as field.Error prints a bad value. */
export function goValue(value: string | number): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

export function invalid(path: string, value: string | number, detail: string): string {
  return `${path}: Invalid value: ${goValue(value)}: ${detail}`;
}

export function required(path: string, detail = ''): string {
  return detail ? `${path}: Required value: ${detail}` : `${path}: Required value`;
}

export function forbidden(path: string, detail: string): string {
  return `${path}: Forbidden: ${detail}`;
}

export function notSupported(path: string, value: string, supported: readonly string[]): string {
  const list = supported.map((v) => JSON.stringify(v)).join(', ');
  return `${path}: Unsupported value: ${JSON.stringify(value)}: supported values: ${list}`;
}

export function duplicate(path: string, value: string): string {
  return `${path}: Duplicate value: ${JSON.stringify(value)}`;
}
