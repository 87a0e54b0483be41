/**
 * The token detectors' contract (issue #21): which detectors exist and what they call a token,
 * where each match starts and ends, which texts they leave alone, and which detector wins where
 * matches overlap. A detector that misses a committed credential lets it through the gate.
 */
import { jest } from '@jest/globals';
import { AZURE_KEY_KINDS, DETECTORS, TOKEN_MESSAGES, findTokens, regexDetector, verifyAzureKey } from '../../src/secrets/detectors.js';
import type { Detector, TokenMatch } from '../../src/secrets/detectors.js';
import { entropy } from '../../src/secrets/heuristics.js';
import { seedFromName } from '../../src/secrets/marvin32.js';
import { identifiableKey, prng, randomString } from '../helpers/secrets.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const rand = prng(4711);

/** What a user sees of a match: its type, name, place and whether a checksum proved it. */
const seen = (m: TokenMatch): [string, string, number, number, boolean] => [m.messageId, m.label, m.start, m.end, m.verified];

describe('the detector table', () => {
  it('lists every detector in priority order, with its name, level and precision', () => {
    expect(DETECTORS.map((d) => [d.id, d.label, d.level, d.precision])).toEqual([
      ['azureIdentifiableKey', 'Azure identifiable key', 'error', 'very-high'],
      ['privateKey', 'private key', 'error', 'very-high'],
      ['azureAnnotatedKey', 'Azure common annotated key (Azure OpenAI, AI services, Azure DevOps)', 'error', 'very-high'],
      ['entraClientSecret', 'Microsoft Entra ID client secret', 'error', 'high'],
      ['azureStorageLegacyKey', 'Azure Storage or Cosmos DB account key', 'error', 'high'],
      ['azureSharedAccessKey', 'Azure Service Bus / Event Hubs shared access key', 'error', 'high'],
      ['sasToken', 'Azure shared access signature (SAS) token', 'error', 'high'],
      ['githubToken', 'GitHub token', 'error', 'high'],
      ['gitlabToken', 'GitLab token', 'error', 'high'],
      ['slackWebhook', 'Slack webhook URL', 'error', 'high'],
      ['slackToken', 'Slack token', 'error', 'high'],
      ['npmToken', 'npm access token', 'error', 'high'],
      ['pypiToken', 'PyPI API token', 'error', 'high'],
      ['dockerHubToken', 'Docker Hub personal access token', 'error', 'high'],
      ['awsAccessKeyId', 'AWS access key id', 'error', 'high'],
      ['awsSecretKey', 'AWS secret access key', 'error', 'high'],
      ['gcpApiKey', 'Google Cloud API key', 'error', 'high'],
      ['gcpServiceAccount', 'Google Cloud service account key (JSON)', 'error', 'high'],
      ['connectionStringPassword', 'connection string password', 'warning', 'medium'],
      ['urlCredentials', 'URL with embedded password', 'warning', 'medium'],
      ['jwt', 'JSON Web Token', 'note', 'medium'],
    ]);
  });

  it('names the token in every message template', () => {
    expect(TOKEN_MESSAGES.privateKey).toBe('Private key block ({label}) in plaintext ({desc}).');
    expect(TOKEN_MESSAGES.githubToken).toBe('GitHub token in plaintext ({desc}).');
    expect(TOKEN_MESSAGES.azureRelayKey).toBe('Azure Relay key, checksum verified ({desc}).');
    for (const d of DETECTORS)
      for (const [id, template] of Object.entries(d.messages)) expect([id, TOKEN_MESSAGES[id]]).toEqual([id, template]);
  });
});

describe('a detector from a regular expression', () => {
  const spec = {
    id: 'testValue',
    label: 'test value',
    keywords: ['v='],
    level: 'warning' as const,
    precision: 'medium' as const,
    pattern: /v=(\S*)/g,
    group: 1,
    minEntropy: 2,
    accept: (v: string) => !v.startsWith('q'),
  };

  it('refuses a pattern that is not global, naming the detector', () => {
    expect(() => regexDetector({ ...spec, pattern: /v=(\S*)/ })).toThrow('detector testValue: pattern must be global');
  });

  it('skips empty values, placeholders, references, low entropy and what the spec does not accept', () => {
    const d = regexDetector(spec);
    const text = 'v= v=abcd v=${X} v=<your-key> v=aabb v=qrst v=wxyz';
    expect(d.find(text).map((m) => [m.value, m.start, m.end])).toEqual([
      // Exactly the minimum entropy (four distinct characters: 2 bits) is enough.
      ['abcd', text.indexOf('abcd'), text.indexOf('abcd') + 4],
      ['wxyz', text.indexOf('wxyz'), text.indexOf('wxyz') + 4],
    ]);
    expect(entropy('abcd')).toBe(2);
    const m = d.find('v=abcd')[0]!;
    expect([m.detector, m.messageId, m.label, m.level, m.precision, m.verified]).toEqual([
      d,
      'testValue',
      'test value',
      'warning',
      'medium',
      false,
    ]);
    expect(d.messages).toEqual({ testValue: 'test value in plaintext ({desc}).' });
    expect(regexDetector({ ...spec, message: 'A test value ({desc}).' }).messages).toEqual({ testValue: 'A test value ({desc}).' });
  });

  it('places a group where it matched, not where its text first occurs in the match', () => {
    const text = 'Server=db;User Id=sa;Password=Pass;Pwd=wd12;';
    expect(findTokens(text).map((m) => [m.value, m.start, m.end])).toEqual([
      ['Pass', 30, 34],
      ['wd12', 39, 43],
    ]);
  });

  it('places a whole-match token at its match', () => {
    const token = `ghp_${randomString(rand, 36)}`;
    const text = `token: ${token}\n`;
    expect(findTokens(text).map(seen)).toEqual([['githubToken', 'GitHub token', 7, 7 + token.length, false]]);
  });

  it('runs a detector with a context test only in a text that has the context', () => {
    const sig = `sig=${randomString(rand, 43)}%3D`;
    expect(findTokens(`https://acct.blob.core.windows.net/c?se=2030-01-01&${sig}`)).toEqual([]);
    const text = `https://acct.blob.core.windows.net/c?sv=2022-11-02&se=2030-01-01&${sig}`;
    expect(findTokens(text).map((m) => [m.messageId, m.value])).toEqual([['sasToken', sig.slice(4)]]);
  });
});

// The families' names as users read them, written out here rather than read from the table.
const AZURE_LABELS: [string, string, string, number, boolean][] = [
  ['+ASt', 'azureStorageKey', 'Azure Storage account key', 64, false],
  ['ACDb', 'azureCosmosKey', 'Azure Cosmos DB key', 64, false],
  ['+ASb', 'azureServiceBusKey', 'Azure Service Bus key', 32, false],
  ['+AEh', 'azureEventHubKey', 'Azure Event Hubs key', 32, false],
  ['+ARm', 'azureRelayKey', 'Azure Relay key', 32, false],
  ['+ACR', 'azureContainerRegistryKey', 'Azure Container Registry key', 39, false],
  ['AzFu', 'azureFunctionKey', 'Azure Functions key', 40, true],
  ['AzSe', 'azureSearchKey', 'Azure AI Search key', 39, true],
  ['APIM', 'azureApimKey', 'Azure API Management key', 64, false],
  ['AzCa', 'azureRedisKey', 'Azure Cache for Redis key', 32, false],
  ['AZEG', 'azureEventGridKey', 'Azure Event Grid key', 32, false],
  ['+ABa', 'azureBatchKey', 'Azure Batch key', 64, false],
  ['AIoT', 'azureIotKey', 'Azure IoT key', 32, false],
  ['+AMC', 'azureMlKey', 'Azure ML web service key', 64, false],
];

describe('Azure identifiable keys in a text', () => {
  const seedOf = (signature: string): bigint => AZURE_KEY_KINDS.find((k) => k.signature === signature)!.seeds[0]!;

  it.each(AZURE_LABELS)('finds a %s key as %s, named "%s", verified', (signature, messageId, label, bytes, urlSafe) => {
    const key = identifiableKey(rand, signature, seedOf(signature), bytes, urlSafe);
    const text = `key: ${key}\n`;
    expect(findTokens(text).map(seen)).toEqual([[messageId, label, 5, 5 + key.length, true]]);
    expect(findTokens(text)[0]!.value).toBe(key);
    expect(TOKEN_MESSAGES[messageId]).toBe(`${label}, checksum verified ({desc}).`);
    // The keyword is the signature in any case.
    expect(findTokens(`KEY=${key}`).map((m) => m.messageId)).toEqual([messageId]);
  });

  it('finds a key at the very start of a text, and none that continues a longer run of its alphabet', () => {
    const key = identifiableKey(rand, '+ASt', seedFromName('Default0'), 64);
    expect(findTokens(key).map(seen)).toEqual([['azureStorageKey', 'Azure Storage account key', 0, key.length, true]]);
    expect(findTokens(`x${key}`)).toEqual([]);
    expect(findTokens(`/${key}`)).toEqual([]);
  });

  it('verifies canonical keys of 32 to 120 characters only', () => {
    const seed = seedFromName('Send0000');
    const key = (bytes: number): string => identifiableKey(rand, '+ASb', seed, bytes);
    expect(key(24).replace(/=+$/, '')).toHaveLength(32);
    expect(verifyAzureKey(key(24))?.messageId).toBe('azureServiceBusKey');
    expect(key(23).replace(/=+$/, '')).toHaveLength(31);
    expect(verifyAzureKey(key(23))).toBeUndefined();
    expect(key(90).replace(/=+$/, '')).toHaveLength(120);
    expect(verifyAzureKey(key(90))?.messageId).toBe('azureServiceBusKey');
    expect(key(91).replace(/=+$/, '')).toHaveLength(122);
    expect(verifyAzureKey(key(91))).toBeUndefined();
  });

  it('takes padding only at the end', () => {
    const key = identifiableKey(rand, '+ACR', seedFromName('ACRDflt0'), 39);
    expect(key).not.toContain('=');
    expect(verifyAzureKey(key)?.messageId).toBe('azureContainerRegistryKey');
    expect(verifyAzureKey(`${key.slice(0, 20)}=${key.slice(20)}`)).toBeUndefined();
    expect(verifyAzureKey(`${key.slice(0, 20)}==${key.slice(20)}`)).toBeUndefined();
  });
});

/** `n` random base64 characters (random enough: about 5.3 bits per character at 64). */
const b64 = (n: number): string => randomString(rand, n, B64);
const lines = (body: string): string => body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
const pem = (body: string, type = 'RSA PRIVATE KEY', dashes = '-----'): string =>
  `${dashes}BEGIN ${type}${dashes}\n${lines(body)}\n${dashes}END ${type}${dashes}`;

describe('private key blocks', () => {
  it('finds a PEM block from its BEGIN to the end of its END line, named by its type', () => {
    const block = pem(b64(200));
    const text = `key: |\n${block}\nnext: 1\n`;
    expect(findTokens(text).map(seen)).toEqual([['privateKey', 'rsa private key', 7, 7 + block.length, false]]);
    expect(findTokens(text)[0]!.value).toBe(block);
    const openssh = pem(b64(300), 'OPENSSH PRIVATE KEY');
    expect(findTokens(openssh).map(seen)).toEqual([['privateKey', 'openssh private key', 0, openssh.length, false]]);
  });

  it('needs 64 characters of key material', () => {
    expect(findTokens(pem(b64(64))).map((m) => m.messageId)).toEqual(['privateKey']);
    expect(findTokens(pem(b64(63)))).toEqual([]);
  });

  it('reads a block written with \\n escapes, which are not key material', () => {
    const escaped = (n: number): string =>
      `"-----BEGIN RSA PRIVATE KEY-----\\n${b64(n).replace(/(.{12})/g, '$1\\n')}\\n-----END RSA PRIVATE KEY-----\\n"`;
    expect(findTokens(escaped(64)).map((m) => m.label)).toEqual(['rsa private key']);
    // Five escapes more would make 60 characters 65.
    expect(findTokens(escaped(60))).toEqual([]);
  });

  it('reads a block built by string concatenation, keeping the + of the key material', () => {
    // Three pieces joined as source code does, with the spacing varied: `" +\n  "`, `"+"`, `"  +   "`.
    const concatenated = (n: number): string => {
      const body = `${b64(20)}+${b64(n - 21)}`;
      const [a, b, c] = [body.slice(0, 21), body.slice(21, 42), body.slice(42)];
      return `const key =\n  "-----BEGIN RSA PRIVATE KEY-----\\n" +\n  "${a}\\n" +\n  "${b}"+"${c}\\n"  +   "-----END RSA PRIVATE KEY-----\\n";\n`;
    };
    const text = concatenated(64);
    const start = text.indexOf('-----BEGIN');
    const end = text.indexOf('KEY-----\\n";', text.indexOf('END')) + 'KEY-----'.length;
    expect(findTokens(text).map(seen)).toEqual([['privateKey', 'rsa private key', start, end, false]]);
    // A + that joins strings is no key material: 63 characters stay too few.
    expect(findTokens(concatenated(63))).toEqual([]);
  });

  it('reads an encrypted block past its header lines', () => {
    const text = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,5A8F0C3E2B7D4A1F9E6C3B0A7D4E1F28\n\n${lines(b64(128))}\n-----END RSA PRIVATE KEY-----`;
    expect(findTokens(text).map(seen)).toEqual([['privateKey', 'rsa private key', 0, text.length, false]]);
  });

  it('takes a header only as a whole line: a name and colon after key material is no key', () => {
    expect(findTokens(pem(`${b64(80)}9Comment: ${b64(10)}`))).toEqual([]);
  });

  it('leaves documentation alone: an elided body, a placeholder, filler, no body', () => {
    expect(findTokens(pem(`...${b64(100)}`))).toEqual([]);
    expect(findTokens(pem(`${b64(100)}...`))).toEqual([]);
    expect(findTokens(pem(`${b64(60)}EXAMPLE${b64(30)}`))).toEqual([]);
    expect(findTokens(pem('ABCD'.repeat(20)))).toEqual([]);
    expect(findTokens('-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----')).toEqual([]);
    expect(findTokens('-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----')).toEqual([]);
  });

  it('needs 4.5 bits of entropy per character, exactly that being enough', () => {
    // 8 characters 4 times and 16 characters twice: 8/16 * 4 + 16/32 * 5 = 4.5 bits.
    const alphabet = B64.slice(0, 24);
    const body = [...alphabet.slice(0, 8).repeat(4), ...alphabet.slice(8).repeat(2)].join('');
    expect([body.length, entropy(body)]).toEqual([64, 4.5]);
    expect(findTokens(pem(body)).map((m) => m.messageId)).toEqual(['privateKey']);
    const lower = `${body.slice(0, 56)}${'A'.repeat(8)}`;
    expect(entropy(lower)).toBeLessThan(4.5);
    expect(findTokens(pem(lower))).toEqual([]);
  });

  it('needs an END of the same type, and stops at a BEGIN without one', () => {
    expect(findTokens(`-----BEGIN RSA PRIVATE KEY-----\n${lines(b64(200))}\n`)).toEqual([]);
    expect(findTokens(`-----BEGIN RSA PRIVATE KEY-----\n${lines(b64(200))}\n-----END EC PRIVATE KEY-----`)).toEqual([]);
  });

  it('takes any run of dashes before END, and up to five after it', () => {
    const body = lines(b64(64));
    const seven = `---BEGIN RSA PRIVATE KEY---\n${body}\n-------END RSA PRIVATE KEY-------\n`;
    const end = seven.indexOf('KEY-------\n', seven.indexOf('END')) + 'KEY-----'.length;
    expect(findTokens(seven).map(seen)).toEqual([['privateKey', 'rsa private key', 0, end, false]]);
    // Three dashes: the END line ends after them, and no key material is taken for a dash.
    const three = `---BEGIN RSA PRIVATE KEY---\n${body}\n---END RSA PRIVATE KEY---\nnext`;
    expect(findTokens(three).map(seen)).toEqual([['privateKey', 'rsa private key', 0, three.length - '\nnext'.length, false]]);
  });

  it('finds every block of a text, and a token right after a block', () => {
    const a = pem(b64(100));
    const b = pem(b64(100), 'EC PRIVATE KEY');
    const token = `ghp_${randomString(rand, 36)}`;
    const text = `${a}\n${b}${token}`;
    expect(findTokens(text).map(seen)).toEqual([
      ['privateKey', 'rsa private key', 0, a.length, false],
      ['privateKey', 'ec private key', a.length + 1, a.length + 1 + b.length, false],
      ['githubToken', 'GitHub token', a.length + 1 + b.length, text.length, false],
    ]);
  });
});

/** A PuTTY key file (format 3): public lines, private lines, MAC. */
function ppk(opts: { header?: string; gap?: string; privateBody?: string; count?: string; mac?: string } = {}): string {
  const header = opts.header ?? 'PuTTY-User-Key-File-3: ssh-ed25519';
  const gap = opts.gap ?? '\nEncryption: none\nComment: eddsa-key-20260101\nPublic-Lines: 2\n';
  const pub = lines(b64(100));
  const count = opts.count ?? 'Private-Lines: 1';
  const privateBody = opts.privateBody ?? lines(b64(64));
  const mac = opts.mac ?? `\nPrivate-MAC: ${randomString(rand, 64, '0123456789abcdef')}`;
  return `${header}${gap}${pub}\n${count}\n${privateBody}${mac}`;
}

describe('PuTTY key files', () => {
  it('finds a key file from its header to the end of its MAC', () => {
    const key = ppk();
    const text = `${key}\nnext: 1\n`;
    expect(findTokens(text).map(seen)).toEqual([['privateKey', 'PuTTY private key', 0, key.length, false]]);
    expect(findTokens(text)[0]!.value).toBe(key);
  });

  it('takes a MAC without a space, and any one- or two-digit version and spacing of the header', () => {
    const mac = `\nPrivate-MAC:${'0f'.repeat(32)}`;
    expect(findTokens(ppk({ mac })).map((m) => m.end)).toEqual([ppk({ mac }).length]);
    for (const header of ['PuTTY-User-Key-File-2:ssh-rsa', 'PuTTY-User-Key-File-10: ssh-rsa']) {
      const key = ppk({ header });
      expect([header, findTokens(key).map(seen)]).toEqual([header, [['privateKey', 'PuTTY private key', 0, key.length, false]]]);
    }
  });

  it('ends a file without a MAC with the text, or 4,096 characters after its private lines', () => {
    const key = ppk({ mac: '' });
    expect(findTokens(`${key}\n`).map((m) => m.end)).toEqual([key.length + 1]);
    const padding = Array.from({ length: 300 }, () => `Comment: ${'p'.repeat(20)}`).join('\n');
    const long = `${key}\n${padding}\n`;
    const lines0 = long.indexOf('Private-Lines:');
    expect(findTokens(long).map((m) => m.end)).toEqual([lines0 + 4096]);
  });

  it('takes a MAC only within 16,384 characters of the private lines', () => {
    const far = `\n${Array.from({ length: 800 }, () => `Comment: ${'p'.repeat(20)}`).join('\n')}\nPrivate-MAC: ${'ab'.repeat(32)}`;
    const key = ppk({ mac: far });
    const at = key.indexOf('Private-Lines:');
    expect(key.indexOf('Private-MAC:') - at).toBeGreaterThan(16384);
    expect(findTokens(key).map((m) => m.end)).toEqual([at + 4096]);
  });

  it('needs private lines within 8,192 characters of the header', () => {
    const header = 'PuTTY-User-Key-File-3: ssh-ed25519';
    // The private lines start after the gap, the public lines (100 characters and a line
    // break) and one more line break.
    const fill = (distance: number): string => `\nComment: ${'c'.repeat(distance - 102 - '\nComment: \n'.length)}\n`;
    const at = (key: string): number => key.indexOf('Private-Lines:') - header.length;
    const near = ppk({ gap: fill(8192) });
    const beyond = ppk({ gap: fill(8193) });
    expect([at(near), at(beyond)]).toEqual([8192, 8193]);
    expect(findTokens(near).map((m) => m.label)).toEqual(['PuTTY private key']);
    expect(findTokens(beyond)).toEqual([]);
  });

  it('needs private lines, and real key material in them', () => {
    expect(findTokens(ppk({ count: 'Public-Lines: 1' }))).toEqual([]);
    expect(findTokens(ppk({ privateBody: 'AAAA\nAAAA' }))).toEqual([]);
  });

  it('reads a key file written with \\n escapes, its line count not being key material', () => {
    const escaped = (count: string, n: number): string => JSON.stringify(ppk({ count, privateBody: b64(n) })).slice(1, -1);
    expect(escaped('Private-Lines: 1', 64)).toContain('\\nPrivate-Lines: 1\\n');
    expect(findTokens(escaped('Private-Lines: 1', 64)).map((m) => m.label)).toEqual(['PuTTY private key']);
    expect(findTokens(escaped('Private-Lines:1', 64)).map((m) => m.label)).toEqual(['PuTTY private key']);
    // 63 characters and the count's last digit would be 64.
    expect(findTokens(escaped('Private-Lines: 12', 63))).toEqual([]);
  });

  it('finds each of several key files', () => {
    const a = ppk();
    const b = ppk({ header: 'PuTTY-User-Key-File-2: ssh-rsa' });
    const text = `${a}\n${b}\n`;
    expect(findTokens(text).map((m) => [m.start, m.end])).toEqual([
      [0, a.length],
      [a.length + 1, a.length + 1 + b.length],
    ]);
  });
});

describe('the keyword prefilter', () => {
  afterEach(() => jest.restoreAllMocks());

  /** The ids of the detectors that ran on `text`. */
  function ran(text: string): string[] {
    const spies = DETECTORS.map((d: Detector) => [d.id, jest.spyOn(d, 'find')] as const);
    findTokens(text);
    const out = spies.filter(([, spy]) => spy.mock.calls.length > 0).map(([id]) => id);
    for (const [, spy] of spies) spy.mockRestore();
    return out;
  }
  /** The ids of the detectors with a keyword in `text`, in any case. */
  const owners = (text: string): string[] =>
    DETECTORS.filter((d) => d.keywords.some((k) => text.toLowerCase().includes(k))).map((d) => d.id);

  it('runs no detector on a text without keywords', () => {
    expect(ran('apiVersion: v1\nkind: ConfigMap\ndata:\n  colour: blue\n')).toEqual([]);
  });

  it('runs a detector where one of its keywords occurs, in any case, and only those', () => {
    for (const d of DETECTORS)
      for (const k of d.keywords) {
        const text = `value: x${k.toUpperCase()}y\n`;
        expect([k, ran(text)]).toEqual([k, owners(text)]);
        expect(owners(text)).toContain(d.id);
      }
  });

  it('sees overlapping keywords, and keywords in a text that is not ASCII', () => {
    expect(ran('AWS_SECRET_ACCESS_KEY')).toEqual(['awsSecretKey']);
    expect(ran('secret.access')).toEqual(['awsSecretKey']);
    const token = `ghp_${randomString(rand, 36)}`;
    expect(ran(`# Schlüssel für die Registry: ${token}`)).toEqual(['githubToken']);
    expect(findTokens(`# Schlüssel für die Registry: ${token}`).map((m) => m.value)).toEqual([token]);
    expect(ran('eyJ… und sig= für İstanbul')).toEqual(['sasToken', 'jwt']);
  });
});

describe('overlapping matches', () => {
  it('keeps the higher-ranked detector where two matches start together', () => {
    const key = identifiableKey(rand, '+ASt', seedFromName('Default0'), 64);
    const text = `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${key};EndpointSuffix=core.windows.net`;
    const start = text.indexOf(key);
    expect(findTokens(text).map(seen)).toEqual([['azureStorageKey', 'Azure Storage account key', start, start + key.length, true]]);
  });

  it('replaces a kept match by a higher-ranked one that starts inside it', () => {
    const aws = `AKIA${randomString(rand, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
    const jwt = `eyJ${randomString(rand, 20)}.eyJ${randomString(rand, 30)}.${aws}_${randomString(rand, 20)}`;
    const text = `token: ${jwt}\n`;
    const start = text.indexOf(aws);
    expect(findTokens(text).map(seen)).toEqual([['awsAccessKeyId', 'AWS access key id', start, start + aws.length, false]]);
    // Alone, the JWT is found.
    const plain = `eyJ${randomString(rand, 20)}.eyJ${randomString(rand, 30)}.${randomString(rand, 30)}`;
    expect(findTokens(plain).map(seen)).toEqual([['jwt', 'JSON Web Token', 0, plain.length, false]]);
  });
});

describe("each token format's shape and bounds", () => {
  const r = (n: number, alphabet?: string): string => randomString(rand, n, alphabet);
  const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const HEX = '0123456789abcdef';
  const SAS = 'https://acct.blob.core.windows.net/c?sv=2022-11-02&se=2030-01-01&';
  /** Each detector with texts and the values it must find in each (none: it must find nothing). */
  const CASES: [string, [string, string[]][]][] = [
    [
      'azureAnnotatedKey',
      (() => {
        const head = r(52);
        const tail = `${r(1)}C${r(16)}x${r(7)}`;
        const k = `${head}JQQJ99${tail}`;
        const d = `${head}JQQJ9D${tail}`;
        const padded = `${k}${r(2)}==`;
        return [
          [`key: ${k}\n`, [k]],
          [`key: ${d}\n`, [d]],
          [`key: ${padded}\n`, [padded]],
          [`key: ${head}JQQJ99${r(1)}M${r(16)}x${r(7)}\n`, []],
          [`key: x${k}\n`, []],
          [`key: ${k}x\n`, []],
          [`key: ${k.slice(1)}\n`, []],
        ];
      })(),
    ],
    [
      'entraClientSecret',
      (() => {
        const a = `${r(3)}8Q~${r(31)}`;
        const b = `${r(3)}7Q~${r(34)}`;
        return [
          [`secret: ${a}\n`, [a]],
          [`secret: ${b}\n`, [b]],
          [`secret: ${r(3)}8Q~${r(30)}\n`, []],
          [`secret: ${r(3)}8Q~${r(35)}\n`, []],
          [`secret: ${r(3)}9Q~${r(32)}\n`, []],
          [`secret: x.${a}\n`, []],
          [`secret: abc8Q~${'ab'.repeat(16)}\n`, []],
        ];
      })(),
    ],
    [
      'azureStorageLegacyKey',
      (() => {
        const k = `${r(86, B64)}==`;
        return [
          [`DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${k};EndpointSuffix=core.windows.net`, [k]],
          [`accountkey   =   ${k}\n`, [k]],
          [`AccountKey    =${k}\n`, []],
          [`AccountKey=${k.slice(1)}\n`, []],
          [`AccountKey=${k}=\n`, []],
          [`AccountKey=${'AbCd'.repeat(21)}Ab==\n`, []],
        ];
      })(),
    ],
    [
      'azureSharedAccessKey',
      (() => {
        const k = `${r(43, B64)}=`;
        return [
          [`Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${k}`, [k]],
          [`sharedaccesskey = ${k}\n`, [k]],
          [`SharedAccessKey=${k.slice(1)}\n`, []],
          [`SharedAccessKey=${k}=\n`, []],
        ];
      })(),
    ],
    [
      'sasToken',
      (() => {
        const at40 = r(40, B64);
        const at90 = r(90);
        const encoded = `${r(38)}%2F%2b`;
        const padded = `${r(42)}%3D%3d`;
        return [
          [`${SAS}sig=${at40}`, [at40]],
          [`${SAS}sig=${at90}`, [at90]],
          [`${SAS}sig=${encoded}`, [encoded]],
          [`${SAS}sig=${padded}&sp=r`, [padded]],
          [`${SAS}sig=${r(39)}`, []],
          [`${SAS}sig=${r(91)}`, []],
          [`${SAS}xsig=${r(43)}`, []],
          // The version may start the text or follow a blank, and its day has two digits.
          [`sv=2022-11-02&sig=${at40}`, [at40]],
          [`token: sv=2022-11-02&sig=${at40}`, [at40]],
          [`https://acct.blob.core.windows.net/c?sv=2022-11-2&sig=${at40}`, []],
        ];
      })(),
    ],
    [
      'githubToken',
      (() => {
        const pat = `github_pat_${r(22)}_${r(59)}`;
        const long = `ghs_${r(251)}`;
        const kinds = ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((p) => `${p}${r(36)}`);
        return [
          ...kinds.map((t): [string, string[]] => [`token: ${t}\n`, [t]]),
          [`token: ${long}\n`, [long]],
          [`token: ${pat}\n`, [pat]],
          [`token: ghp_${r(35)}\n`, []],
          [`token: ghp_${r(252)}\n`, []],
          [`token: ghx_${r(36)}\n`, []],
          [`token: github_pat_${r(21)}_${r(59)}\n`, []],
          [`token: x${kinds[0]!}\n`, []],
          [`token: ${kinds[0]!}_\n`, []],
        ];
      })(),
    ],
    [
      'gitlabToken',
      (() => {
        const kinds = ['glpat', 'glrt', 'gldt', 'glptt', 'glcbt', 'gloas'].map((p) => `${p}-${r(20)}`);
        const long = `glpat-${r(80)}`;
        return [
          ...kinds.map((t): [string, string[]] => [`token: ${t}\n`, [t]]),
          [`token: ${long}\n`, [long]],
          [`token: glpat-${r(19)}\n`, []],
          [`token: glpat-${r(81)}\n`, []],
          [`token: x-${kinds[0]!}\n`, []],
        ];
      })(),
    ],
    [
      'slackWebhook',
      (() => {
        const path = `T${r(8)}/B${r(8)}/${r(24)}`;
        return [
          [`url: https://hooks.slack.com/services/${path}\n`, [path]],
          [`url: https://hooks.slack.com/workflows/${path}\n`, [path]],
          [`url: https://hooks.slack.com/triggers/${path}\n`, [path]],
          [`url: https://hooks.slack.com/services/T${r(8)}/B${r(8)}/\n`, []],
          [`url: https://hooks.slack.com/services/${r(19)}\n`, []],
          // The path must end in the 20 or more letters and digits of its secret.
          [`url: https://hooks.slack.com/services/T${r(24)}/B${r(8)}/\n`, []],
          [`url: https://hooks.slack.com/services/T${r(24)}/B${r(8)}/abc\n`, []],
          [`url: https://hooksxslack.com/services/${path}\n`, []],
        ];
      })(),
    ],
    [
      'slackToken',
      (() => {
        const bot = `xoxb-123456789012-123456789012-${r(24)}`;
        const user = `xoxp-${r(10)}`;
        // Three numeric parts of 14 digits and 120 characters: longer than the last part alone may be.
        const long = `xoxb-12345678901234-12345678901234-12345678901234-${r(120)}`;
        return [
          [`token: ${bot}\n`, [bot]],
          [`token: ${user}\n`, [user]],
          [`token: ${long}\n`, [long]],
          [`token: xoxq-${r(24)}\n`, []],
          [`token: xoxb-${r(9)}\n`, []],
          [`token: xoxb-${r(121)}\n`, []],
          [`token: x${bot}\n`, []],
        ];
      })(),
    ],
    [
      'npmToken',
      (() => {
        const t = `npm_${r(36)}`;
        return [
          [`//registry.npmjs.org/:_authToken=${t}\n`, [t]],
          [`token: npm_${r(35)}\n`, []],
          [`token: npm_${r(37)}\n`, []],
        ];
      })(),
    ],
    [
      'pypiToken',
      (() => {
        const a = `pypi-AgEIcHlwaS5vcmc${r(50)}`;
        const b = `pypi-AgEIcHlwaS5vcmc${r(400)}`;
        return [
          [`password = ${a}\n`, [a]],
          [`password = ${b}\n`, [b]],
          [`password = pypi-AgEIcHlwaS5vcmc${r(49)}\n`, []],
          [`password = pypi-AgEIcHlwaS5vcmc${r(401)}\n`, []],
        ];
      })(),
    ],
    [
      'dockerHubToken',
      (() => {
        const a = `dckr_pat_${r(27)}`;
        const b = `dckr_oat_${r(40)}`;
        return [
          [`token: ${a}\n`, [a]],
          [`token: ${b}\n`, [b]],
          [`token: dckr_pat_${r(26)}\n`, []],
          [`token: dckr_pat_${r(41)}\n`, []],
          [`token: dckr_xat_${r(30)}\n`, []],
        ];
      })(),
    ],
    [
      'awsAccessKeyId',
      (() => {
        const kinds = ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3TX'].map((p) => `${p}${r(16, B32)}`);
        return [
          ...kinds.map((t): [string, string[]] => [`id: ${t}\n`, [t]]),
          [`id: AKIA${r(15, B32)}\n`, []],
          [`id: AKIA${r(17, B32)}\n`, []],
          [`id: AKIA${r(15, B32)}8\n`, []],
          [`id: ${kinds[0]!.toLowerCase()}\n`, []],
          [`id: AKIB${r(16, B32)}\n`, []],
          [`id: x${kinds[0]!}\n`, []],
        ];
      })(),
    ],
    [
      'awsSecretKey',
      (() => {
        const k = (): string => r(40, B64);
        const [a, b, c, d, e] = [k(), k(), k(), k(), k()];
        return [
          [`aws_secret_access_key = "${a}"\n`, [a]],
          [`AWS_SECRET_KEY: ${b}\n`, [b]],
          [`secretAccessKey: '${c}'\n`, [c]],
          [`aws.secret.key=${d}\n`, [d]],
          [`secret-access-key: ${e}\n`, [e]],
          [`aws_secret_access_key = ${r(39, B64)}\n`, []],
          [`aws_secret_access_key = ${r(41, B64)}\n`, []],
          [`aws_secret_access_key = ${r(40, B64)}=\n`, []],
        ];
      })(),
    ],
    [
      'gcpApiKey',
      (() => {
        const k = `AIza${r(33)}_-`;
        return [
          [`key: ${k}\n`, [k]],
          [`key: AIza${r(34)}\n`, []],
          [`key: AIza${r(36)}\n`, []],
          [`key: x${k}\n`, []],
        ];
      })(),
    ],
    [
      'gcpServiceAccount',
      (() => {
        const id = r(40, HEX);
        return [
          [`{"type": "service_account", "private_key_id": "${id}"}`, [id]],
          [`data: "{\\"type\\": \\"service_account\\", \\"private_key_id\\": \\"${id}\\"}"`, [id]],
          [`{"type":"service_account","private_key_id":"${id}"}`, [id]],
          [`{"type": "service_account", "private_key_id" :  "${id}"}`, [id]],
          [`{"type": "authorized_user", "private_key_id": "${id}"}`, []],
          [`{"type": "service_account", "private_key_id": "${id.slice(1)}"}`, []],
          [`{"type": "service_account", "private_key_id": "${id.toUpperCase()}"}`, []],
        ];
      })(),
    ],
    [
      'connectionStringPassword',
      (() => {
        const pw = r(12);
        return [
          [`Server=db;Database=app;User Id=sa;Password=${pw};`, [pw]],
          [`Host=db;Username=app;Pwd =   ${pw}&x;`, [pw]],
          [`Server = db; Password=${pw};`, [pw]],
          [`Data Source=db;Password="${pw}"`, []],
          [`Server=db;Database=app;Password=abc;`, []],
          [`Server=db Password=${pw}`, []],
          [`Colour=blue;Password=${pw};`, []],
          [`Server=db;MyPassword=${pw};`, []],
        ];
      })(),
    ],
    [
      'urlCredentials',
      (() => {
        const pw = r(16);
        return [
          [`url: postgres://app:${pw}@db.internal/x\n`, [pw]],
          [`url: git+ssh://git:${pw}@[::1]/repo\n`, [pw]],
          [`url: s3://AKID:${pw}@bucket/x\n`, [pw]],
          [`url: https://user:ab@host\n`, []],
          [`url: https://:${pw}@host\n`, []],
          [`url: a://user:${pw}@host\n`, []],
          [`url: https://user:${pw}@-host\n`, []],
        ];
      })(),
    ],
    [
      'jwt',
      (() => {
        const small = `eyJ${r(8)}.eyJ${r(8)}.${r(16)}`;
        const large = `eyJ${r(4000)}.eyJ${r(8000)}.${r(2000)}`;
        return [
          [`token: ${small}\n`, [small]],
          [`token: ${large}\n`, [large]],
          [`token: eyJ${r(7)}.eyJ${r(8)}.${r(16)}\n`, []],
          [`token: eyJ${r(8)}.eyJ${r(7)}.${r(16)}\n`, []],
          [`token: eyJ${r(8)}.eyJ${r(8)}.${r(15)}\n`, []],
          [`token: eyJ${r(4001)}.eyJ${r(8)}.${r(16)}\n`, []],
          [`token: eyJ${r(8)}.eyJ${r(8001)}.${r(16)}\n`, []],
          [`token: eyJ${r(8)}.eyJ${r(8)}.${r(2001)}\n`, []],
          [`token: x${small}\n`, []],
        ];
      })(),
    ],
  ];

  it('covers every detector made from a regular expression', () => {
    expect(CASES.map(([id]) => id)).toEqual(DETECTORS.slice(2).map((d) => d.id));
  });

  it.each(CASES)('%s', (id, cases) => {
    for (const [text, values] of cases) {
      const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
      expect([shown, findTokens(text).map((m) => [m.messageId, m.value])]).toEqual([shown, values.map((v) => [id, v])]);
    }
  });
});
