/**
 * Reads a `kind: Secret` object the way a reviewer does: which data/stringData keys hold literal
 * values, and whether any of them is a credential (by key name, token format or value shape), or
 * the object only carries settings (`url`, `type`, `insecure`, `project` of an Argo CD repository).
 */
import type { K8sObject } from '../parse/kubernetes.js';
import { asMap, asText, get, getPair } from '../parse/yaml.js';
import type { YNode } from '../parse/yaml.js';
import { findTokens } from './detectors.js';
import type { TokenMatch } from './detectors.js';
import { isDocumentationPlaceholder, isPath, isReference, isScalarWord, looksRandom, secretNameStrength, urlInfo } from './heuristics.js';

/** One literal value of a Secret. */
export interface SecretEntry {
  field: 'data' | 'stringData';
  key: string;
  /** The value as written (base64 for `data`). */
  raw: string;
  /** The value a pod sees (decoded `data`). */
  decoded: string;
  credential: boolean;
}

/** What a Secret object holds. */
export interface SecretContents {
  entries: SecretEntry[];
  /** The `data:` or `stringData:` key of the first field holding a value: where the finding goes. */
  at: YNode;
  /** The first known token format among the values, if any. */
  token: TokenMatch | undefined;
  /** Registries with committed credentials in a `.dockerconfigjson` / `.dockercfg`. */
  registries: { registry: string; secrets: string[] }[];
}

/** Strict base64 (what the API server accepts for `data`), decoded; undefined when not base64. */
export function decodeBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** Committed registry credentials of a `.dockerconfigjson` document (`auths.<registry>.auth|password`). */
function dockerAuths(json: string): { registry: string; secrets: string[] }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  const auths = (parsed as { auths?: unknown } | null)?.auths;
  if (!auths || typeof auths !== 'object') return [];
  const out: { registry: string; secrets: string[] }[] = [];
  for (const [registry, entry] of Object.entries(auths as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const auth = typeof e.auth === 'string' ? e.auth : undefined;
    const password = typeof e.password === 'string' ? e.password : typeof e.identitytoken === 'string' ? e.identitytoken : undefined;
    if (auth) {
      const decoded = decodeBase64(auth);
      const pass = decoded?.slice(decoded.indexOf(':') + 1);
      if (!pass || isDocumentationPlaceholder(pass) || isReference(pass)) continue;
      out.push({ registry, secrets: [auth, pass, ...(decoded ? [decoded] : [])] });
    } else if (password && !isDocumentationPlaceholder(password) && !isReference(password)) {
      out.push({ registry, secrets: [password] });
    }
  }
  return out;
}

/** True when a value itself looks like a credential, whatever its key says. */
function credentialValue(value: string): boolean {
  const v = value.trim();
  if (isPath(v) || isScalarWord(v)) return false;
  const url = urlInfo(v);
  if (url.url) return url.withCredentials;
  return looksRandom(v, 20, 3.5);
}

/** The literal contents of a Secret object; undefined when it holds none. */
export function secretContents(obj: K8sObject): SecretContents | undefined {
  const entries: SecretEntry[] = [];
  let at: YNode | undefined;
  let token: TokenMatch | undefined;
  const registries: { registry: string; secrets: string[] }[] = [];
  for (const field of ['data', 'stringData'] as const) {
    const pair = getPair(obj.node, field);
    const map = asMap(get(obj.node, field));
    if (!pair || !map) continue;
    for (const p of map.pairs) {
      const raw = asText(p.value);
      if (raw === undefined || raw.trim() === '' || raw.startsWith('ENC[')) continue;
      const decoded = field === 'data' ? (decodeBase64(raw) ?? raw) : raw;
      if (isReference(decoded) || isDocumentationPlaceholder(decoded, p.keyText)) continue;
      const lowerKey = p.keyText.toLowerCase();
      // The name heuristics know the credential keys of Kubernetes' own Secret types (`tls.key`,
      // `ssh-privatekey`, `token`, `password`); registry configurations are judged by content.
      let credential = secretNameStrength(p.keyText) !== undefined;
      if (lowerKey === '.dockerconfigjson' || lowerKey === '.dockercfg') {
        const found = dockerAuths(decoded);
        registries.push(...found);
        // A registry entry without a usable password (a placeholder) commits nothing.
        credential = found.length > 0 || !decoded.trim().startsWith('{');
        if (!credential) continue;
      }
      const t = findTokens(decoded)[0];
      if (t) {
        token ??= t;
        credential = true;
      }
      if (!credential && credentialValue(decoded)) credential = true;
      entries.push({ field, key: p.keyText, raw, decoded, credential });
      at ??= pair.key;
    }
  }
  if (!at || entries.length === 0) return undefined;
  return { entries, at, token, registries };
}

/** A short list of key names for a message: the first five, then "and N more". */
export function keyList(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).join(', ');
  return keys.length > 5 ? `${shown} and ${keys.length - 5} more` : shown;
}
