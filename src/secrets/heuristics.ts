/** Value heuristics shared by the secret rules: entropy, placeholders, references, secret-like names. */
import { ownCopy } from '../own-copy.js';

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}

// Words that mark a value as a stand-in, never a credential (compared lowercased).
const PLACEHOLDER_WORDS = [
  'changeme',
  'change_me',
  'change-me',
  'changeit',
  'example',
  'placeholder',
  'redacted',
  'dummy',
  'xxxx',
  'your_',
  'your-',
  'yourpassword',
  'yoursecret',
  'replace_me',
  'replace-me',
  'replaceme',
  'insert_',
  'notasecret',
  'not-a-secret',
  'secretvalue',
  '********',
  '••••',
];

// AWS's documented example credentials, and Azurite's published well-known storage key.
const KNOWN_PUBLIC_VALUES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
]);

/** Plain words that stand for "no value", and local-development defaults. */
const EMPTY_WORDS = new Set([
  'none',
  'null',
  'nil',
  'undefined',
  'empty',
  'n/a',
  'na',
  'tbd',
  'todo',
  'secret',
  'password',
  'token',
  'disabled',
  // Well-known local-development defaults: weak, but not a leaked credential.
  'postgres',
  'root',
  'admin',
  'guest',
  'test',
  'dev',
  'local',
  'localhost',
]);

/** True when a value is a stand-in (`changeme`, `<password>`, `xxxx`, one repeated character...). */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (KNOWN_PUBLIC_VALUES.has(v)) return true;
  const lower = v.toLowerCase();
  if (EMPTY_WORDS.has(lower)) return true;
  if (PLACEHOLDER_WORDS.some((w) => lower.includes(w))) return true;
  if (/^<[^<>]*>$/.test(v) || /^\[[^[\]]*\]$/.test(v) || /^%[A-Za-z0-9_]+%$/.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true;
  // Two distinct characters over a long value ("abababab", "x0x0x0x0") is filler, not a key.
  if (v.length >= 6 && new Set(v).size <= 2) return true;
  return false;
}

/** True when a value refers to a secret instead of holding one (variables, templates, vault refs). */
export function isReference(value: string): boolean {
  const v = value.trim();
  return (
    /\$\{[^}]{0,256}\}/.test(v) ||
    /\$\([^)]{0,256}\)/.test(v) ||
    /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) ||
    v.includes('{{') ||
    v.includes('#{') ||
    /^\[.*\]$/s.test(v) ||
    /^@Microsoft\.KeyVault\(/i.test(v) ||
    /^arn:aws[a-z-]*:(secretsmanager|ssm|kms):/i.test(v) ||
    /^(vault|ref\+[a-z]+|secretsmanager|akv|azurekeyvault|keyvault|gcpsm|op|sops):/i.test(v) ||
    /^projects\/[^/]+\/secrets\//.test(v)
  );
}

/** True for filesystem paths (`/run/secrets/x`, `/mnt/secrets-store/...`, `./key`, `C:\...`). */
export function isPath(value: string): boolean {
  const v = value.trim();
  return /^(\/|\.\.?\/|~\/|[A-Za-z]:\\)/.test(v) && !/\s/.test(v);
}

/** True for URLs; `withCredentials` tells whether the URL carries `user:password@`. */
export function urlInfo(value: string): { url: boolean; withCredentials: boolean } {
  const m = /^[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/([^/?#\s]*)/.exec(value.trim());
  if (!m) return { url: false, withCredentials: false };
  const authority = m[1] ?? '';
  const at = authority.lastIndexOf('@');
  return { url: true, withCredentials: at > 0 && authority.slice(0, at).includes(':') };
}

/** True for booleans and numbers (YAML 1.1 spellings included). */
export function isScalarWord(value: string): boolean {
  const v = value.trim().toLowerCase();
  return (
    /^(true|false|yes|no|on|off|y|n|enabled?|disabled?)$/.test(v) ||
    /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/.test(v) ||
    /^0x[0-9a-f]+$/.test(v)
  );
}

// Whole name parts that mark a variable as secret-bearing, BuildKit style.
const STRONG_PARTS = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'apikey',
  'credential',
  'credentials',
  'pat',
]);
const WEAK_PARTS = new Set(['key', 'auth', 'pass', 'privatekey', 'accesskey', 'secretkey']);
// A last part that makes the variable describe a secret, not hold it (`SECRET_NAME`, `TOKEN_URL`).
const DESCRIPTIVE_SUFFIX = new Set([
  'name',
  'names',
  'path',
  'paths',
  'file',
  'files',
  'dir',
  'id',
  'ids',
  'url',
  'uri',
  'endpoint',
  'host',
  'port',
  'type',
  'mode',
  'method',
  'enabled',
  'disabled',
  'required',
  'ttl',
  'timeout',
  'expiry',
  'expiration',
  'lifetime',
  'length',
  'size',
  'header',
  'prefix',
  'format',
  'algorithm',
  'alg',
  'version',
  'ref',
  'location',
  'vault',
  'store',
  'provider',
  'issuer',
  'audience',
  'user',
  'username',
  'field',
  'policy',
  'scope',
  'scopes',
  'count',
  'source',
  'kind',
  'label',
  'env',
  'var',
  // Settings about a credential, not the credential (`passwordPattern`, `PASSWORD_MIN_LENGTH`).
  'pattern',
  'patterns',
  'regex',
  'regexp',
  'rule',
  'rules',
  'complexity',
  'strength',
  'min',
  'max',
  'minlength',
  'maxlength',
  'history',
  'attempts',
  'retries',
  'hint',
  'reset',
  'rotation',
  'interval',
  'age',
  'validation',
  'validator',
  'encoder',
]);

/**
 * Parts by name: the same variable names recur across a repository's manifests (bounded, frozen).
 * Keyed by a copy of the name: a slice of a file's text would keep the whole text alive.
 */
const partsCache = new Map<string, readonly string[]>();

/** Splits a variable name into lowercase parts (`DB_PASSWORD`, `dbPassword`, `db-password`, `db.password`). */
export function nameParts(name: string): readonly string[] {
  let parts = partsCache.get(name);
  if (parts) return parts;
  if (partsCache.size >= 4096) partsCache.clear();
  parts = Object.freeze(splitName(name));
  partsCache.set(ownCopy(name), parts);
  return parts;
}

function splitName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((p) => p.length > 0);
}

/**
 * How strongly a variable name says it holds a secret: `strong` (password, token...), `weak`
 * (key, auth: the value must also look random), or undefined.
 */
export function secretNameStrength(name: string): 'strong' | 'weak' | undefined {
  const parts = nameParts(name);
  if (parts.length === 0 || parts.includes('public') || parts.includes('existing')) return undefined;
  const last = parts[parts.length - 1]!;
  if (DESCRIPTIVE_SUFFIX.has(last)) return undefined;
  // KEY_VAULT_NAME and friends name a vault, not a key.
  for (let i = 0; i + 1 < parts.length; i++) if (parts[i] === 'key' && parts[i + 1] === 'vault') return undefined;
  let weak = false;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (STRONG_PARTS.has(p)) return 'strong';
    if (p === 'api' && parts[i + 1] === 'key') return 'strong';
    if (WEAK_PARTS.has(p)) weak = true;
  }
  return weak ? 'weak' : undefined;
}

/** True when a value looks machine-generated: long enough, no spaces, enough entropy. */
export function looksRandom(value: string, minLength = 12, minEntropy = 3.0): boolean {
  return value.length >= minLength && !/\s/.test(value) && entropy(value) >= minEntropy;
}

// Passwords products ship as defaults and tutorials use; committed, they are real credentials.
const DEFAULT_PASSWORDS = new Set([
  'postgres',
  'mysql',
  'root',
  'admin',
  'administrator',
  'guest',
  'test',
  'dev',
  'password',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'secret',
  'example',
  'letmein',
  'welcome',
  'qwerty',
  'default',
  'oracle',
  'sa',
  'user',
  'pass',
  'rabbitmq',
  'redis',
  'mongo',
  'elastic',
  'minio',
  'minioadmin',
  'keycloak',
  'sonar',
  'grafana',
]);

/**
 * True for a well-known default or tutorial password (`postgres`, `example_123`, `Passw0rd!`,
 * `admin123`): a weak word, optionally with a separator, a few digits and a `!`.
 */
export function isDefaultPassword(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (DEFAULT_PASSWORDS.has(v)) return true;
  const m = /^([a-z@0]{2,13}?)[-_.@#]?\d{0,6}!?$/.exec(v);
  return m !== null && m[1] !== v && DEFAULT_PASSWORDS.has(m[1]!);
}

/** True when a variable or key name says it holds a password (not merely a key or token). */
export function isPasswordName(name: string): boolean {
  const parts = nameParts(name);
  return secretNameStrength(name) !== undefined && parts.some((p) => ['password', 'passwd', 'pwd', 'pass', 'passphrase'].includes(p));
}

/** A masked value (`****`, `xxxxxx`, `••••`): what a redacted example shows, never a credential. */
export function isMask(value: string): boolean {
  const v = value.trim();
  return v.length > 0 && (/^[*•x#.]+$/i.test(v) || /^(.)\1*$/.test(v));
}

/**
 * A documentation placeholder (`<token>`, `REPLACE_ME`, `your-password-here`, `TODO`), or a value
 * that repeats its own key name (`password: password` in a Secret template). Unlike
 * `isPlaceholder`, well-known default passwords are not placeholders here.
 */
export function isDocumentationPlaceholder(value: string, key?: string): boolean {
  const v = value.trim();
  if (v.length === 0 || isMask(v) || KNOWN_PUBLIC_VALUES.has(v)) return true;
  if (key !== undefined && splitName(key).join('') === splitName(v).join('') && splitName(v).length > 0) return true;
  if (isDefaultPassword(v)) return false;
  return isPlaceholder(v);
}

/**
 * True when a literal of a secret-named variable holds a credential: not empty, not a
 * reference, path, URL without credentials, boolean, number or placeholder. A well-known
 * default password in a password-named variable is a credential (pass `name` to say so).
 */
export function isLiteralSecret(value: string, strength: 'strong' | 'weak', name?: string): boolean {
  const v = value.trim();
  if (v.length === 0 || isReference(v)) return false;
  if (name !== undefined && isPasswordName(name) && isDefaultPassword(v) && !isDocumentationPlaceholder(v, name)) return true;
  if (v.length < 4 || isPath(v) || isScalarWord(v) || isPlaceholder(v)) return false;
  const url = urlInfo(v);
  if (url.url) return url.withCredentials;
  if (strength === 'weak') return looksRandom(v, 16, 3.2);
  return true;
}
