/**
 * The Kubernetes CEL libraries for URLs, IP addresses and CIDRs, semantic versions and named
 * formats, plus `strings.quote` / `reverse` (cel-go's strings extension, missing from
 * @bufbuild/cel's). Semantics follow k8s.io/apiserver/pkg/cel/library (url.go, ip.go, cidr.go,
 * semverlib.go, format.go); the code is podguard's own.
 *
 * @bufbuild/cel has no opaque custom types, so each value is a one-entry map keyed by its kind
 * (`@url`, `@ip`, `@cidr`, `@semver`, `@format`, `@optional`), holding its canonical text: equal
 * values are equal maps (`ip('::1') == ip('0::1')`). Every method refuses a map of another kind.
 * The optional type is absent from @bufbuild/cel: `format.named()` and `<format>.validate()`
 * return an `@optional` value with `hasValue()`, `value()` and `orValue(x)` only.
 */
import { CelScalar, celFunc, celMethod, isCelMap, listType, mapType } from '@bufbuild/cel';
import type { CelInput, CelMap, CelValue } from '@bufbuild/cel';
import { quantityNano } from './quantity.js';

const { STRING, INT, BOOL, DYN } = CelScalar;
const OPAQUE = mapType(STRING, DYN);

/** Longest text a library parser accepts (hostile manifests must not cost more). */
const MAX_TEXT = 4096;

type Boxed = ReadonlyMap<string, CelInput>;

function box(kind: string, value: CelInput): Boxed {
  return new Map([[kind, value]]);
}

function unbox(m: CelMap, kind: string, what: string): unknown {
  if (m.size !== 1 || !m.has(kind)) throw new Error(`the value is not ${what}`);
  return m.get(kind);
}

function kindOf(m: CelMap): string | undefined {
  if (m.size !== 1) return undefined;
  for (const k of m.keys()) if (typeof k === 'string' && k.startsWith('@')) return k;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// URL (Go's url.ParseRequestURI: an absolute URL or an absolute path, no fragment)

interface Url {
  scheme: string;
  host: string;
  path: string;
  query: string;
}

const URL_SYNTAX = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?]*))?([^?]*)(?:\?(.*))?$/s;

export function parseUrl(s: string): Url | undefined {
  if (s.length === 0 || s.length > MAX_TEXT || [...s].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)) return undefined;
  const m = URL_SYNTAX.exec(s);
  if (!m) return undefined;
  const [, scheme, authority, path = '', query] = m;
  if (scheme === undefined && !s.startsWith('/')) return undefined;
  if (scheme === undefined && authority !== undefined) return undefined;
  if (/%(?![0-9a-fA-F]{2})/.test(path)) return undefined;
  let host = authority ?? '';
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  if (host.startsWith('[')) {
    if (!/^\[[0-9a-fA-F:.]+(%[^\]]*)?\](:\d*)?$/.test(host)) return undefined;
  } else if (!/^[^:[\]]*(:\d*)?$/.test(host)) return undefined;
  return { scheme: scheme ?? '', host, path, query: query ?? '' };
}

function splitHost(host: string): { hostname: string; port: string } {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return { hostname: host.slice(1, end), port: host.slice(end + 2) };
  }
  const colon = host.lastIndexOf(':');
  return colon < 0 ? { hostname: host, port: '' } : { hostname: host.slice(0, colon), port: host.slice(colon + 1) };
}

function urlOf(m: CelMap): Url {
  const u = parseUrl(String(unbox(m, '@url', 'a URL')));
  if (!u) throw new Error('the value is not a URL');
  return u;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function queryOf(q: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of q.split('&')) {
    if (part === '' || part.includes(';')) continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// IP addresses and CIDRs (Go's netip, without zones and IPv4-mapped IPv6 addresses)

/** Parses an IP address into its bytes (4 or 16), or undefined. */
export function parseIp(s: string): number[] | undefined {
  if (s.length > 64) return undefined;
  if (!s.includes(':')) return parseV4(s);
  return parseV6(s);
}

function parseV4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

function parseV6(s: string): number[] | undefined {
  if (s.includes('%')) return undefined;
  let tail: number[] = [];
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    text = s.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      const v = parseInt(g, 16);
      out.push(v >> 8, v & 0xff);
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const have = head.length + rest.length + tail.length;
  if (halves.length === 1 && have !== 16) return undefined;
  if (halves.length === 2 && have > 14) return undefined;
  const bytes = [...head, ...new Array<number>(16 - have).fill(0), ...rest, ...tail];
  // Kubernetes refuses IPv4-mapped IPv6 addresses (::ffff:a.b.c.d).
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return undefined;
  return bytes;
}

/** The canonical text of an address (RFC 5952 for IPv6, as Go prints it). */
export function ipText(b: number[]): string {
  if (b.length === 4) return b.join('.');
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

interface Cidr {
  ip: number[];
  bits: number;
}

export function parseCidr(s: string): Cidr | undefined {
  const slash = s.lastIndexOf('/');
  if (slash < 0 || s.length > 70) return undefined;
  const ip = parseIp(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (!ip || !/^(0|[1-9]\d{0,2})$/.test(bits) || Number(bits) > ip.length * 8) return undefined;
  return { ip, bits: Number(bits) };
}

function ipOf(m: CelMap): number[] {
  const ip = parseIp(String(unbox(m, '@ip', 'an IP address')));
  if (!ip) throw new Error('the value is not an IP address');
  return ip;
}

function cidrOf(m: CelMap): Cidr {
  const c = parseCidr(String(unbox(m, '@cidr', 'a CIDR')));
  if (!c) throw new Error('the value is not a CIDR');
  return c;
}

function masked(ip: number[], bits: number): number[] {
  return ip.map((b, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}

function contains(c: Cidr, ip: number[]): boolean {
  return ip.length === c.ip.length && ipText(masked(ip, c.bits)) === ipText(masked(c.ip, c.bits));
}

function ipBox(ip: number[]): Boxed {
  return box('@ip', ipText(ip));
}

function cidrBox(c: Cidr): Boxed {
  return box('@cidr', `${ipText(c.ip)}/${c.bits}`);
}

function isV4(b: number[]): boolean {
  return b.length === 4;
}

const ipPredicates: Record<string, (b: number[]) => boolean> = {
  isUnspecified: (b) => b.every((x) => x === 0),
  isLoopback: (b) => (isV4(b) ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1),
  isLinkLocalMulticast: (b) => (isV4(b) ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && (b[1]! & 0x0f) === 0x02),
  isLinkLocalUnicast: (b) => (isV4(b) ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && (b[1]! & 0xc0) === 0x80),
  isGlobalUnicast: (b) =>
    !ipPredicates.isUnspecified!(b) &&
    !ipPredicates.isLoopback!(b) &&
    !ipPredicates.isLinkLocalUnicast!(b) &&
    !(isV4(b) ? (b[0]! & 0xf0) === 0xe0 : b[0] === 0xff) &&
    !(isV4(b) && b.every((x) => x === 255)),
};

// ---------------------------------------------------------------------------------------------
// Semantic versions (blang/semver's strict Parse: no leading "v", no leading zeros)

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

interface Semver {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string[];
}

export function parseSemver(s: string): Semver | undefined {
  const m = s.length <= 256 ? SEMVER.exec(s) : null;
  if (!m) return undefined;
  const n = [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)];
  const max = (1n << 64n) - 1n;
  if (n.some((x) => x > max)) return undefined;
  return { major: n[0]!, minor: n[1]!, patch: n[2]!, pre: m[4] ? m[4].split('.') : [] };
}

function semverOf(m: CelMap): Semver {
  const v = parseSemver(String(unbox(m, '@semver', 'a semantic version')));
  if (!v) throw new Error('the value is not a semantic version');
  return v;
}

function sign(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareSemver(a: Semver, b: Semver): number {
  const c = sign(a.major, b.major) || sign(a.minor, b.minor) || sign(a.patch, b.patch);
  if (c !== 0) return c;
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length === 0 ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    const d = xn && yn ? sign(BigInt(x), BigInt(y)) : xn ? -1 : yn ? 1 : x < y ? -1 : x > y ? 1 : 0;
    if (d !== 0) return d;
  }
  return Math.sign(a.pre.length - b.pre.length);
}

/** compareTo of two quantities or two semantic versions. */
function compareOpaque(a: CelMap, b: CelMap): number {
  if (kindOf(a) === '@semver') return compareSemver(semverOf(a), semverOf(b));
  const x = quantityNano(a);
  const y = quantityNano(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Named formats (format.go): each validate() gives none, or the list of errors.

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const UUID =
  /^(urn:uuid:)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$|^\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}$|^[0-9a-fA-F]{32}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function validDate(y: string, m: string, d: string): boolean {
  const t = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return t.getUTCFullYear() === Number(y) && t.getUTCMonth() === Number(m) - 1 && t.getUTCDate() === Number(d);
}

function dnsCheck(re: RegExp, max: number, what: string): (s: string) => string[] {
  return (s) => {
    const errs: string[] = [];
    if (s.length > max) errs.push(`must be no more than ${max} characters`);
    if (!re.test(s))
      errs.push(`a ${what} must consist of lower case alphanumeric characters or '-'${what.includes('subdomain') ? " or '.'" : ''}`);
    return errs;
  };
}

/** A prefix (generateName) check: a trailing '-' is allowed (Kubernetes masks it). */
function prefix(check: (s: string) => string[]): (s: string) => string[] {
  return (s) => check(s.endsWith('-') ? `${s.slice(0, -1)}a` : s);
}

const dns1123Label = dnsCheck(LABEL, 63, 'lowercase RFC 1123 label');
const dns1123Subdomain = dnsCheck(SUBDOMAIN, 253, 'lowercase RFC 1123 subdomain');
const dns1035Label = dnsCheck(LABEL_1035, 63, 'DNS-1035 label');

function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  if (parts.length > 2) return ["a qualified name must consist of an optional DNS subdomain prefix and '/' and a name"];
  const name = parts[parts.length - 1]!;
  const errs: string[] = parts.length === 2 ? dns1123Subdomain(parts[0]!).map((e) => `prefix part ${e}`) : [];
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED.test(name)) errs.push("name part must consist of alphanumeric characters, '-', '_' or '.'");
  return errs;
}

/** The named formats of format.go, each returning its errors (none when valid). */
export const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label,
  dns1123Subdomain,
  dns1035Label,
  qualifiedName,
  dns1123LabelPrefix: prefix(dns1123Label),
  dns1123SubdomainPrefix: prefix(dns1123Subdomain),
  dns1035LabelPrefix: prefix(dns1035Label),
  labelValue: (s) => {
    const errs: string[] = [];
    if (s.length > 63) errs.push('must be no more than 63 characters');
    if (!LABEL_VALUE.test(s)) errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'");
    return errs;
  },
  uri: (s) => (parseUrl(s) ? [] : ['invalid URI']),
  uuid: (s) => (UUID.test(s) ? [] : ['does not match the UUID format']),
  byte: (s) => (s.length % 4 === 0 && BASE64.test(s) ? [] : ['invalid base64']),
  date: (s) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    return m && validDate(m[1]!, m[2]!, m[3]!) ? [] : ['invalid date'];
  },
  datetime: (s) => {
    const m = DATETIME.exec(s);
    const ok = m && validDate(m[1]!, m[2]!, m[3]!) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 61;
    return ok ? [] : ['invalid datetime'];
  },
};

function formatOf(m: CelMap): (s: string) => string[] {
  const f = FORMATS[String(unbox(m, '@format', 'a format'))];
  if (!f) throw new Error('the value is not a format');
  return f;
}

const NONE = box('@optional', false);

function optionalOf(m: CelMap): CelValue | null {
  const v = unbox(m, '@optional', 'an optional value') as CelValue;
  return v === false ? null : v;
}

// ---------------------------------------------------------------------------------------------
// strings.quote (cel-go ext: Go-style escapes, invalid UTF-16 as U+FFFD)

const ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

export function quote(s: string): string {
  return `"${s
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .split('')
    .map((c) => ESCAPES[c] ?? c)
    .join('')}"`;
}

const bool = (f: (b: number[]) => boolean) =>
  function (this: CelMap): boolean {
    return f(ipOf(this));
  };

/** The functions of these libraries. */
export const K8S_LIB_FUNCS = [
  // URL
  celFunc('isURL', [STRING], BOOL, (s) => parseUrl(s) !== undefined),
  celFunc('url', [STRING], OPAQUE, (s) => {
    if (!parseUrl(s)) throw new Error('url() of a string that is not a URL');
    return box('@url', s);
  }),
  celMethod('getScheme', OPAQUE, [], STRING, function () {
    return urlOf(this).scheme;
  }),
  celMethod('getHost', OPAQUE, [], STRING, function () {
    return urlOf(this).host;
  }),
  celMethod('getHostname', OPAQUE, [], STRING, function () {
    return splitHost(urlOf(this).host).hostname;
  }),
  celMethod('getPort', OPAQUE, [], STRING, function () {
    return splitHost(urlOf(this).host).port;
  }),
  celMethod('getEscapedPath', OPAQUE, [], STRING, function () {
    return urlOf(this).path;
  }),
  celMethod('getQuery', OPAQUE, [], mapType(STRING, listType(STRING)), function () {
    return queryOf(urlOf(this).query);
  }),
  // IP and CIDR
  celFunc('isIP', [STRING], BOOL, (s) => parseIp(s) !== undefined),
  celFunc('ip', [STRING], OPAQUE, (s) => {
    const ip = parseIp(s);
    if (!ip) throw new Error('ip() of a string that is not an IP address');
    return ipBox(ip);
  }),
  celFunc('ip.isCanonical', [STRING], BOOL, (s) => {
    const ip = parseIp(s);
    if (!ip) throw new Error('ip.isCanonical() of a string that is not an IP address');
    return ipText(ip) === s;
  }),
  celMethod('family', OPAQUE, [], INT, function () {
    return ipOf(this).length === 4 ? 4n : 6n;
  }),
  ...Object.entries(ipPredicates).map(([name, f]) => celMethod(name, OPAQUE, [], BOOL, bool(f))),
  celFunc('isCIDR', [STRING], BOOL, (s) => parseCidr(s) !== undefined),
  celFunc('cidr', [STRING], OPAQUE, (s) => {
    const c = parseCidr(s);
    if (!c) throw new Error('cidr() of a string that is not a CIDR');
    return cidrBox(c);
  }),
  celMethod('containsIP', OPAQUE, [DYN], BOOL, function (x) {
    const ip = typeof x === 'string' ? parseIp(x) : isCelMap(x) ? ipOf(x) : undefined;
    if (!ip) throw new Error('containsIP() needs an IP address');
    return contains(cidrOf(this), ip);
  }),
  celMethod('containsCIDR', OPAQUE, [DYN], BOOL, function (x) {
    const other = typeof x === 'string' ? parseCidr(x) : isCelMap(x) ? cidrOf(x) : undefined;
    if (!other) throw new Error('containsCIDR() needs a CIDR');
    const c = cidrOf(this);
    return other.bits >= c.bits && contains(c, other.ip);
  }),
  celMethod('ip', OPAQUE, [], OPAQUE, function () {
    return ipBox(cidrOf(this).ip);
  }),
  celMethod('masked', OPAQUE, [], OPAQUE, function () {
    const c = cidrOf(this);
    return cidrBox({ ip: masked(c.ip, c.bits), bits: c.bits });
  }),
  celMethod('prefixLength', OPAQUE, [], INT, function () {
    return BigInt(cidrOf(this).bits);
  }),
  celFunc('string', [OPAQUE], STRING, (m) => {
    const kind = kindOf(m);
    if (kind === '@ip') return ipText(ipOf(m));
    if (kind === '@cidr') {
      const c = cidrOf(m);
      return `${ipText(c.ip)}/${c.bits}`;
    }
    throw new Error('string() of a value that is not an IP address or CIDR');
  }),
  // semver
  celFunc('isSemver', [STRING], BOOL, (s) => parseSemver(s) !== undefined),
  celFunc('semver', [STRING], OPAQUE, (s) => {
    if (!parseSemver(s)) throw new Error('semver() of a string that is not a semantic version');
    return box('@semver', s);
  }),
  celMethod('major', OPAQUE, [], INT, function () {
    return semverOf(this).major;
  }),
  celMethod('minor', OPAQUE, [], INT, function () {
    return semverOf(this).minor;
  }),
  celMethod('patch', OPAQUE, [], INT, function () {
    return semverOf(this).patch;
  }),
  celMethod('compareTo', OPAQUE, [OPAQUE], INT, function (o) {
    return BigInt(compareOpaque(this, o));
  }),
  celMethod('isLessThan', OPAQUE, [OPAQUE], BOOL, function (o) {
    return compareOpaque(this, o) < 0;
  }),
  celMethod('isGreaterThan', OPAQUE, [OPAQUE], BOOL, function (o) {
    return compareOpaque(this, o) > 0;
  }),
  // format
  ...Object.keys(FORMATS).map((name) => celFunc(`format.${name}`, [], OPAQUE, () => box('@format', name))),
  celFunc('format.named', [STRING], OPAQUE, (name) => (Object.hasOwn(FORMATS, name) ? box('@optional', box('@format', name)) : NONE)),
  celMethod('validate', OPAQUE, [STRING], OPAQUE, function (s) {
    const errs = s.length > MAX_TEXT ? ['too long'] : formatOf(this)(s);
    return errs.length === 0 ? NONE : box('@optional', errs);
  }),
  celMethod('hasValue', OPAQUE, [], BOOL, function () {
    return optionalOf(this) !== null;
  }),
  celMethod('value', OPAQUE, [], DYN, function () {
    const v = optionalOf(this);
    if (v === null) throw new Error('value() of an empty optional');
    return v;
  }),
  celMethod('orValue', OPAQUE, [DYN], DYN, function (x) {
    return optionalOf(this) ?? x;
  }),
  // strings
  celFunc('strings.quote', [STRING], STRING, (s) => quote(s)),
  celMethod('reverse', STRING, [], STRING, function () {
    return [...this].reverse().join('');
  }),
];
