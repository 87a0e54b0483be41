/**
 * Token detectors: every known credential format podguard finds in free text. Each detector
 * has a keyword prefilter (a clean text costs one lowercase and one regex pass), and every
 * pattern is linear-time: each starts with a negative lookbehind on its own alphabet (so a
 * match can only begin at a token boundary) and uses bounded quantifiers only. The list is
 * exported so a test can feed every detector adversarial megabytes.
 *
 * Formats learned from public references (gitleaks' and Trivy's rule lists, Microsoft's
 * security-utilities identifiable key formats, detect-secrets' heuristics); the code is ours.
 */
import type { Level, Precision } from '../types.js';
import { entropy, isPlaceholder, isReference } from './heuristics.js';
import { marvin32, seedFromName } from './marvin32.js';

/** One credential found in a text. */
export interface TokenMatch {
  detector: Detector;
  /** Message id of the token type (may differ per match for multi-type detectors). */
  messageId: string;
  /** Human token type, e.g. `GitHub personal access token`. */
  label: string;
  value: string;
  /** Offsets of `value` in the scanned text. */
  start: number;
  end: number;
  level: Level;
  precision: Precision;
  /** True when a checksum proved the format (certain). */
  verified: boolean;
}

/** A detector of one credential family. */
export interface Detector {
  /** Stable id (also the default message id). */
  id: string;
  label: string;
  /** Lowercase substrings; the detector runs only when the lowercased text contains one. */
  keywords: readonly string[];
  level: Level;
  precision: Precision;
  /** Token type message ids this detector can produce, with their templates. */
  messages: Record<string, string>;
  /** Finds matches in `text` (linear time). */
  find(text: string): TokenMatch[];
  /** The detector's regular expression, when it has one (exposed for the linear-time test). */
  pattern?: RegExp;
}

export interface RegexSpec {
  id: string;
  label: string;
  keywords: string[];
  level: Level;
  precision: Precision;
  pattern: RegExp;
  /** Capture group holding the secret (0 = whole match). */
  group?: number;
  /** Minimum Shannon entropy of the value (bits per character). */
  minEntropy?: number;
  /** Extra acceptance test on the value. */
  accept?: (value: string) => boolean;
  /** Context the whole text must have for any match to count (tested once per text). */
  textTest?: (text: string) => boolean;
  message?: string;
}

/** A detector from one global regular expression (exported for its contract test). */
export function regexDetector(spec: RegexSpec): Detector {
  if (!spec.pattern.global) throw new Error(`detector ${spec.id}: pattern must be global`);
  const detector: Detector = {
    id: spec.id,
    label: spec.label,
    keywords: spec.keywords,
    level: spec.level,
    precision: spec.precision,
    messages: { [spec.id]: spec.message ?? `${spec.label} in plaintext ({desc}).` },
    pattern: spec.pattern,
    find(text) {
      const out: TokenMatch[] = [];
      if (spec.textTest && !spec.textTest(text)) return out;
      // With a group, the `d` flag gives where it matched: its text may also occur earlier in
      // the match (`Password=Pass`).
      const re = new RegExp(spec.pattern.source, spec.group ? `${spec.pattern.flags}d` : spec.pattern.flags);
      for (const m of text.matchAll(re)) {
        const value = m[spec.group ?? 0];
        if (value === undefined || value.length === 0) continue;
        const start = spec.group ? m.indices![spec.group]![0] : m.index;
        if (isPlaceholder(value) || isReference(value)) continue;
        if (spec.minEntropy !== undefined && entropy(value) < spec.minEntropy) continue;
        if (spec.accept && !spec.accept(value)) continue;
        out.push({
          detector,
          messageId: spec.id,
          label: spec.label,
          value,
          start,
          end: start + value.length,
          level: spec.level,
          precision: spec.precision,
          verified: false,
        });
      }
      return out;
    },
  };
  return detector;
}

/** An Azure identifiable key family: the signature before the checksum and the seeds it may use. */
interface AzureKeyKind {
  signature: string;
  seeds: bigint[];
  messageId: string;
  label: string;
}

const s = (...names: string[]): bigint[] => names.map(seedFromName);
const MESSAGING = s('Send0000', 'Listen00', 'Manage00', 'System00', 'Unknown0');

/** Azure identifiable key families (signatures and checksum seeds per Microsoft security-utilities). */
export const AZURE_KEY_KINDS: readonly AzureKeyKind[] = [
  { signature: '+ASt', seeds: s('Default0'), messageId: 'azureStorageKey', label: 'Azure Storage account key' },
  {
    signature: 'ACDb',
    seeds: s('MastRO00', 'MastRW00', 'SysAll00', 'Resour00', 'SystRO00', 'SystRW00', 'Encryp00'),
    messageId: 'azureCosmosKey',
    label: 'Azure Cosmos DB key',
  },
  { signature: '+ASb', seeds: MESSAGING, messageId: 'azureServiceBusKey', label: 'Azure Service Bus key' },
  { signature: '+AEh', seeds: MESSAGING, messageId: 'azureEventHubKey', label: 'Azure Event Hubs key' },
  { signature: '+ARm', seeds: MESSAGING, messageId: 'azureRelayKey', label: 'Azure Relay key' },
  { signature: '+ACR', seeds: s('ACRDflt0'), messageId: 'azureContainerRegistryKey', label: 'Azure Container Registry key' },
  { signature: 'AzFu', seeds: s('Functi00', 'System00', 'Master00'), messageId: 'azureFunctionKey', label: 'Azure Functions key' },
  { signature: 'AzSe', seeds: s('Query000', 'PAdmin00'), messageId: 'azureSearchKey', label: 'Azure AI Search key' },
  {
    signature: 'APIM',
    seeds: s('Tenant00', 'IoTHub00', 'Gatewy00', 'GitKey00'),
    messageId: 'azureApimKey',
    label: 'Azure API Management key',
  },
  { signature: 'AzCa', seeds: s('Access00'), messageId: 'azureRedisKey', label: 'Azure Cache for Redis key' },
  { signature: 'AZEG', seeds: s('Default0'), messageId: 'azureEventGridKey', label: 'Azure Event Grid key' },
  { signature: '+ABa', seeds: s('AbAcct00'), messageId: 'azureBatchKey', label: 'Azure Batch key' },
  { signature: 'AIoT', seeds: s('IoTHub00', 'DpsKey00', 'Device00'), messageId: 'azureIotKey', label: 'Azure IoT key' },
  { signature: '+AMC', seeds: s('Classic0'), messageId: 'azureMlKey', label: 'Azure ML web service key' },
];

const KINDS_BY_SIGNATURE = new Map<string, AzureKeyKind>(AZURE_KEY_KINDS.map((k) => [k.signature, k]));

/** Decodes standard or URL-safe base64 (no validation beyond the alphabet). */
function base64Bytes(text: string): Uint8Array {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * The family of an Azure identifiable key whose Marvin32 checksum verifies, or undefined.
 * Layout: base64(random bytes + signature + 4-byte little-endian Marvin32 of everything before
 * it); the 4 signature characters stand right before the last 6 (unpadded) characters.
 */
export function verifyAzureKey(token: string): AzureKeyKind | undefined {
  const trimmed = token.replace(/=+$/, '');
  if (trimmed.length < 32 || trimmed.length > 120) return undefined;
  const kind = KINDS_BY_SIGNATURE.get(trimmed.slice(-10, -6));
  if (!kind) return undefined;
  const bytes = base64Bytes(trimmed);
  // Only the canonical encoding counts: a changed padding bit must not keep a key "verified".
  // It also bounds the bytes: 32 or more canonical characters decode to 24 or more.
  const urlSafe = /[-_]/.test(trimmed);
  if (
    Buffer.from(bytes)
      .toString(urlSafe ? 'base64url' : 'base64')
      .replace(/=+$/, '') !== trimmed
  )
    return undefined;
  const body = bytes.subarray(0, bytes.length - 4);
  const expected = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).readUInt32LE(bytes.length - 4);
  for (const seed of kind.seeds) if (marvin32(body, seed) === expected) return kind;
  return undefined;
}

const azureIdentifiable: Detector = {
  id: 'azureIdentifiableKey',
  label: 'Azure identifiable key',
  keywords: [...new Set(AZURE_KEY_KINDS.map((k) => k.signature.toLowerCase()))],
  level: 'error',
  precision: 'very-high',
  messages: Object.fromEntries(AZURE_KEY_KINDS.map((k) => [k.messageId, `${k.label}, checksum verified ({desc}).`])),
  find(text) {
    const out: TokenMatch[] = [];
    for (const m of text.matchAll(/(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{32,120}={0,2}/g)) {
      const kind = verifyAzureKey(m[0]);
      if (!kind) continue;
      out.push({
        detector: azureIdentifiable,
        messageId: kind.messageId,
        label: kind.label,
        value: m[0],
        start: m.index,
        end: m.index + m[0].length,
        level: 'error',
        precision: 'very-high',
        verified: true,
      });
    }
    return out;
  },
};

/**
 * A key body: escapes, header lines, quoting and string concatenation (`"..." +`) removed;
 * undefined unless it is real base64 key material. A `+` between quotes goes, any other is base64.
 */
function keyBody(raw: string): string | undefined {
  const body = raw
    .replace(/\\[nr]/g, '')
    .replace(/^[A-Za-z-]+:.*$/gm, '')
    .replace(/["']\s{0,200}\+\s{0,200}["']/g, '')
    .replace(/[\s"',|\\]/g, '');
  if (body.length < 64 || !/^[A-Za-z0-9+/=]+$/.test(body) || isPlaceholder(body) || entropy(body) < 4.5) return undefined;
  return body;
}

// A private key block needs a real base64 body: `-----BEGIN RSA PRIVATE KEY-----\n...\n` is
// documentation. Users commit PEM and OpenSSH blocks, with the dashes mangled (three instead of
// five), and PuTTY `.ppk` files.
const privateKey: Detector = {
  id: 'privateKey',
  label: 'private key',
  keywords: ['private key', 'putty-user-key-file'],
  level: 'error',
  precision: 'very-high',
  messages: { privateKey: 'Private key block ({label}) in plaintext ({desc}).' },
  find(text) {
    const out: TokenMatch[] = [];
    const push = (label: string, start: number, end: number): void => {
      out.push({
        detector: privateKey,
        messageId: 'privateKey',
        label,
        value: text.slice(start, end),
        start,
        end,
        level: 'error',
        precision: 'very-high',
        verified: false,
      });
    };
    const begin = /-{3,5}BEGIN ((?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?)-{3,5}/g;
    let m: RegExpExecArray | null;
    while ((m = begin.exec(text)) !== null) {
      const endWord = text.indexOf(`END ${m[1]!}`, begin.lastIndex);
      // No END anywhere after this BEGIN means none after any later BEGIN of the same type either;
      // stopping keeps the scan linear.
      if (endWord < 0) break;
      // Every dash before END goes, as any number may stand before BEGIN. The text walked back
      // over lies between this BEGIN and its END, which the next search starts after.
      let endStart = endWord;
      while (endStart > begin.lastIndex && text[endStart - 1] === '-') endStart--;
      let endEnd = endWord + 4 + m[1]!.length;
      const limit = endEnd + 5;
      while (endEnd < limit && text[endEnd] === '-') endEnd++;
      const body = keyBody(text.slice(begin.lastIndex, endStart));
      begin.lastIndex = endEnd;
      if (body) push(m[1]!.toLowerCase(), m.index, endEnd);
    }
    let nextLines = -2;
    const putty = /PuTTY-User-Key-File-\d{1,2}: ?[a-z0-9-]{1,40}/g;
    while ((m = putty.exec(text)) !== null) {
      // The next Private-Lines is searched again only once passed, so many headers stay linear.
      if (nextLines < putty.lastIndex) nextLines = text.indexOf('Private-Lines:', putty.lastIndex);
      const lines = nextLines;
      if (lines < 0) break;
      if (lines - putty.lastIndex > 8192) continue;
      const macAt = text.slice(lines, lines + 16384).indexOf('Private-MAC:');
      const mac = macAt < 0 ? -1 : lines + macAt;
      const bodyEnd = mac < 0 ? Math.min(text.length, lines + 4096) : mac;
      const afterCount = text.slice(lines, bodyEnd).replace(/^Private-Lines: ?\d{1,4}/, '');
      if (!keyBody(afterCount)) continue;
      const macEnd = mac < 0 ? bodyEnd : mac + 12 + (/^ ?[0-9a-f]{0,128}/.exec(text.slice(mac + 12, mac + 141))?.[0].length ?? 0);
      push('PuTTY private key', m.index, macEnd);
      putty.lastIndex = macEnd;
    }
    return out;
  },
};

const B64 = 'A-Za-z0-9+/';

/** Every detector, in priority order (an earlier detector wins where matches overlap). */
export const DETECTORS: readonly Detector[] = [
  azureIdentifiable,
  privateKey,
  regexDetector({
    id: 'azureAnnotatedKey',
    label: 'Azure common annotated key (Azure OpenAI, AI services, Azure DevOps)',
    keywords: ['jqqj9'],
    level: 'error',
    precision: 'very-high',
    pattern:
      /(?<![A-Za-z0-9])[A-Za-z0-9]{52}JQQJ9[9D][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?(?![A-Za-z0-9])/g,
  }),
  regexDetector({
    id: 'entraClientSecret',
    label: 'Microsoft Entra ID client secret',
    keywords: ['8q~', '7q~'],
    level: 'error',
    precision: 'high',
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}[78]Q~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
    minEntropy: 3.5,
  }),
  regexDetector({
    id: 'azureStorageLegacyKey',
    label: 'Azure Storage or Cosmos DB account key',
    keywords: ['accountkey'],
    level: 'error',
    precision: 'high',
    pattern: new RegExp(`AccountKey\\s{0,3}=\\s{0,3}([${B64}]{86}==)(?![${B64}=])`, 'gi'),
    group: 1,
    minEntropy: 4.5,
  }),
  regexDetector({
    id: 'azureSharedAccessKey',
    label: 'Azure Service Bus / Event Hubs shared access key',
    keywords: ['sharedaccesskey'],
    level: 'error',
    precision: 'high',
    pattern: new RegExp(`SharedAccessKey\\s{0,3}=\\s{0,3}([${B64}]{43}=)(?![${B64}=])`, 'gi'),
    group: 1,
    minEntropy: 4.0,
  }),
  regexDetector({
    id: 'sasToken',
    label: 'Azure shared access signature (SAS) token',
    keywords: ['sig='],
    level: 'error',
    precision: 'high',
    pattern: /(?<![A-Za-z0-9])sig=((?:[A-Za-z0-9+/]|%2[BbFf]){40,90}(?:=|%3[Dd]){0,2})(?![A-Za-z0-9%])/g,
    group: 1,
    minEntropy: 4.0,
    // A signature alone is often a docs sample; `sv=` (the SAS version) makes it a real token.
    textTest: (text) => /(?:^|[?&;\s"'])sv=\d{4}-\d{2}-\d{2}/.test(text),
  }),
  regexDetector({
    id: 'githubToken',
    label: 'GitHub token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    level: 'error',
    precision: 'high',
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/g,
    minEntropy: 3.5,
  }),
  regexDetector({
    id: 'gitlabToken',
    label: 'GitLab token',
    keywords: ['glpat-', 'glrt-', 'gldt-', 'glptt-', 'glcbt-', 'gloas-'],
    level: 'error',
    precision: 'high',
    pattern: /(?<![A-Za-z0-9_-])(?:glpat|glrt|gldt|glptt|glcbt|gloas)-[A-Za-z0-9_.-]{20,80}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.2,
  }),
  regexDetector({
    id: 'slackWebhook',
    label: 'Slack webhook URL',
    keywords: ['hooks.slack.com'],
    level: 'error',
    precision: 'high',
    // The path after the fixed host and kind is the credential.
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/]{20,120})(?![A-Za-z0-9_/])/g,
    group: 1,
    accept: (v) => /[A-Za-z0-9]{20,}$/.test(v),
  }),
  regexDetector({
    id: 'slackToken',
    label: 'Slack token',
    keywords: ['xox'],
    level: 'error',
    precision: 'high',
    pattern: /(?<![A-Za-z0-9-])xox[abposre]-(?:\d{1,14}-){0,3}[A-Za-z0-9-]{10,120}(?![A-Za-z0-9-])/g,
    minEntropy: 3.0,
  }),
  regexDetector({
    id: 'npmToken',
    label: 'npm access token',
    keywords: ['npm_'],
    level: 'error',
    precision: 'high',
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    minEntropy: 3.5,
  }),
  regexDetector({
    id: 'pypiToken',
    label: 'PyPI API token',
    keywords: ['pypi-ageichlwas5vcmc'],
    level: 'error',
    precision: 'high',
    pattern: /(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,400}(?![A-Za-z0-9_-])/g,
  }),
  regexDetector({
    id: 'dockerHubToken',
    label: 'Docker Hub personal access token',
    keywords: ['dckr_pat_', 'dckr_oat_'],
    level: 'error',
    precision: 'high',
    pattern: /(?<![A-Za-z0-9_-])dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.2,
  }),
  regexDetector({
    id: 'awsAccessKeyId',
    label: 'AWS access key id',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    level: 'error',
    precision: 'high',
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Za-z0-9])/g,
    minEntropy: 3.0,
  }),
  regexDetector({
    id: 'awsSecretKey',
    label: 'AWS secret access key',
    // Every match holds aws, a separator or none, and secret, or secret, one, and access.
    keywords: ['aws_secret', 'awssecret', 'aws-secret', 'aws.secret', 'secret_access', 'secretaccess', 'secret-access', 'secret.access'],
    level: 'error',
    precision: 'high',
    pattern: new RegExp(
      `(?:(?:aws[_.-]?)?secret[_.-]?access[_.-]?key|aws[_.-]?secret[_.-]?key)["']?\\s{0,4}[:=]\\s{0,4}["']?([${B64}]{40})(?![${B64}=])`,
      'gi',
    ),
    group: 1,
    minEntropy: 4.0,
  }),
  regexDetector({
    id: 'gcpApiKey',
    label: 'Google Cloud API key',
    keywords: ['aiza'],
    level: 'error',
    precision: 'high',
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
    minEntropy: 3.5,
  }),
  regexDetector({
    id: 'gcpServiceAccount',
    label: 'Google Cloud service account key (JSON)',
    keywords: ['private_key_id'],
    level: 'error',
    precision: 'high',
    pattern: /\\?"private_key_id\\?"\s{0,4}:\s{0,4}\\?"([a-f0-9]{40})\\?"/g,
    group: 1,
    textTest: (text) => text.includes('service_account'),
  }),
  regexDetector({
    id: 'connectionStringPassword',
    label: 'connection string password',
    keywords: ['password=', 'pwd=', 'password =', 'pwd ='],
    level: 'warning',
    precision: 'medium',
    pattern: /(?<![A-Za-z0-9_])(?:Password|Pwd)\s{0,3}=\s{0,3}([^;"'\s&]{4,200})/gi,
    group: 1,
    // Only in a connection string: server/user/database keys and `;` separators in the same text.
    textTest: (text) =>
      text.includes(';') && /(?:server|data source|host|user id|uid|database|initial catalog|address)\s{0,3}=/i.test(text),
  }),
  regexDetector({
    id: 'urlCredentials',
    label: 'URL with embedded password',
    keywords: ['://'],
    level: 'warning',
    precision: 'medium',
    pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:/?#@'"<>]{1,128}:([^\s/?#@'"<>]{3,256})@[A-Za-z0-9[]/g,
    group: 1,
  }),
  regexDetector({
    id: 'jwt',
    label: 'JSON Web Token',
    keywords: ['eyj'],
    level: 'note',
    precision: 'medium',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4000}\.eyJ[A-Za-z0-9_-]{8,8000}\.[A-Za-z0-9_-]{16,2000}(?![A-Za-z0-9_-])/g,
  }),
];

/** Message templates of every token type, keyed by message id. */
export const TOKEN_MESSAGES: Record<string, string> = Object.assign({}, ...DETECTORS.map((d) => d.messages)) as Record<string, string>;

/** Each keyword (lowercase) with the indexes of the detectors it wakes. */
const KEYWORD_OWNERS = new Map<string, number[]>();
DETECTORS.forEach((d, i) => {
  for (const k of d.keywords) KEYWORD_OWNERS.set(k, [...(KEYWORD_OWNERS.get(k) ?? []), i]);
});
const KEYWORD_SOURCE = [...KEYWORD_OWNERS.keys()].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
/** Every keyword in one alternation, for a lowercased text: one pass instead of one per keyword. */
const ANY_KEYWORD = new RegExp(KEYWORD_SOURCE, 'g');

/**
 * Which detectors have a keyword in `text`. Profiled on 10,000 manifests, searching each text
 * once per keyword (about 60) took 3x longer than this single regex pass, and a case-sensitive
 * search of the lowercased text half as long as a case-insensitive one of the text. The regex is
 * tried at every position where some keyword starts, and every keyword is compared there, so
 * keywords that overlap (`aws_secret`, `secret_access_key`) are all seen.
 *
 * Lowercasing may change a non-ASCII text's length, but every run of ASCII characters stays one
 * run, so a keyword (ASCII) is found wherever a case-insensitive search of the text finds it. It
 * may also be found where that search would not (the Kelvin sign lowercases to `k`): the
 * detector then runs and its own pattern, on the original text, decides.
 */
function detectorsWithKeywords(text: string): boolean[] {
  const low = text.toLowerCase();
  const present = new Array<boolean>(DETECTORS.length).fill(false);
  ANY_KEYWORD.lastIndex = 0;
  for (let m = ANY_KEYWORD.exec(low); m; m = ANY_KEYWORD.exec(low)) {
    for (const [k, owners] of KEYWORD_OWNERS) if (low.startsWith(k, m.index)) for (const i of owners) present[i] = true;
    ANY_KEYWORD.lastIndex = m.index + 1;
  }
  return present;
}

/**
 * Finds every credential in a text. Detectors run only when one of their keywords occurs;
 * where matches overlap, the earlier (more specific) detector wins.
 */
export function findTokens(text: string): TokenMatch[] {
  const present = detectorsWithKeywords(text);
  const all: { m: TokenMatch; rank: number }[] = [];
  DETECTORS.forEach((d, rank) => {
    if (!present[rank]) return;
    for (const m of d.find(text)) all.push({ m, rank });
  });
  // The sort is stable and the matches went in by rank: at one start, the higher rank comes first.
  all.sort((a, b) => a.m.start - b.m.start);
  // One sweep: an overlapping match replaces the kept one only when its detector ranks higher.
  const kept: { m: TokenMatch; rank: number }[] = [];
  for (const x of all) {
    const last = kept[kept.length - 1];
    if (last && x.m.start < last.m.end) {
      if (x.rank < last.rank) kept[kept.length - 1] = x;
      continue;
    }
    kept.push(x);
  }
  return kept.map((x) => x.m);
}
